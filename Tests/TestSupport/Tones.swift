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

    /// Σ amplitudes[k−1] sin(k φ(t)) with φ' = 2π f0 2^(cents(t)/1200): a harmonic tone whose pitch
    /// follows a known curve (phase integrated sample by sample, trapezoidal), with a 10 ms linear
    /// fade-in and a 50 ms fade-out.
    public static func gliding(f0: Double, cents: (Double) -> Double, amplitudes: [Double], sampleRate: Int,
                               seconds: Double) -> [Double] {
        let n = Int(seconds * Double(sampleRate)), dt = 1 / Double(sampleRate)
        var phase = 0.0
        var previous = 2 * Double.pi * f0 * pow(2, cents(0) / 1200)
        return (0..<n).map { i in
            let t = Double(i) * dt
            if i > 0 {
                let w = 2 * Double.pi * f0 * pow(2, cents(t) / 1200)
                phase += 0.5 * (previous + w) * dt
                previous = w
            }
            var y = 0.0
            for (k, a) in amplitudes.enumerated() { y += a * sin(Double(k + 1) * phase) }
            return y * min(1, t / 0.01, (seconds - t) / 0.05)
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
