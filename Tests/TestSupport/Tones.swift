import FMSynthesis
import Foundation

/// Synthetic test signals with known parameters.
public enum Tones {
    /// Σ amplitudes[k−1] sin(2π k f0 t) (sine phase), n samples.
    public static func harmonic(f0: Double, amplitudes: [Double], sampleRate: Int, seconds: Double) -> [Double] {
        let n = Int(seconds * Double(sampleRate))
        return (0..<n).map { i in
            let t = Double(i) / Double(sampleRate)
            var y = 0.0
            for (k, a) in amplitudes.enumerated() { y += a * sin(2 * Double.pi * Double(k + 1) * f0 * t) }
            return y
        }
    }

    /// A patch with a simple attack/decay envelope per unit, rendered alias-free.
    public static func patch(f0: Double, units: [FMUnit], peaks: [Double], sampleRate: Int, seconds: Double,
                             attack: Double = 0.05, release: Double = 0.2) -> (samples: [Double], patch: Patch) {
        let envelopes = peaks.enumerated().map { j, p in
            // unit j's level drifts a little so that the units are not proportional
            Envelope(times: [0, attack, seconds / 2, seconds - release, seconds],
                     values: [0, p, p * (1 - 0.2 * Double(j)), p * (0.6 + 0.3 * Double(j)), 0])
        }
        let patch = Patch(f0: f0, units: units, envelopes: envelopes)
        let n = Int(seconds * Double(sampleRate))
        return (PatchRenderer.render(patch, sampleRate: sampleRate, count: n), patch)
    }

    /// Gaussian white noise (deterministic).
    public static func noise(count: Int, seed: UInt64 = 1, amplitude: Double = 0.3) -> [Double] {
        var s = seed
        func next() -> Double {
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return Double(s >> 11) * 0x1.0p-53
        }
        return (0..<count).map { _ in
            let u1 = 1 - next(), u2 = next()
            return amplitude * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        }
    }
}
