/// Alias-free time-domain rendering of a patch (method.md, "Rendering a champion").
///
/// Each unit is periodic in 1/f0, so below Nyquist it is exactly Σ_k s_k sin(kθ) with its
/// analytic spectrum s_k; summing only the harmonics k·f0 < sr/2 renders the FM tone without the
/// inharmonic fold-back of sidebands above Nyquist that a naive oscillator produces. The series is
/// summed per sample by Clenshaw's recurrence
///   β_k = s_k + 2cosθ·β_{k+1} − β_{k+2},  Σ_k s_k sin(kθ) = β_1 sinθ,
/// each unit is scaled by its envelope (linear between breakpoints) and the units are added.
/// Phase convention: every unit starts at θ = 0, as in the fitness (sine phase, signed s_k).
public enum PatchRenderer {
    /// Harmonics below Nyquist for fundamental f0.
    public static func harmonicsBelowNyquist(f0: Double, sampleRate: Int) -> Int {
        let n = Int((Double(sampleRate) / 2 / f0).rounded(.up)) - 1
        return max(0, n)
    }

    /// Renders `count` samples at `sampleRate`, at the patch's f0 or at `f0` when given
    /// (the envelopes keep their timeline).
    public static func render(_ patch: Patch, sampleRate: Int, count: Int, f0: Double? = nil) -> [Double] {
        let fund = f0 ?? patch.f0
        let K = harmonicsBelowNyquist(fund: fund, sampleRate: sampleRate)
        var y = [Double](repeating: 0, count: count)
        guard K > 0, count > 0 else { return y }
        let maxIndex = patch.units.reduce(1.0) { max($0, $1.index1, $1.index2) }
        let ws = SpectrumWorkspace(maxIndex: maxIndex, maxHarmonics: K)
        var s = [Double](repeating: 0, count: K)
        let cyclesPerSample = fund / Double(sampleRate)
        for (unit, envelope) in zip(patch.units, patch.envelopes) {
            s.withUnsafeMutableBufferPointer { UnitSpectrum.compute(unit, harmonics: K, into: $0, workspace: ws) }
            let env = envelope.render(sampleRate: sampleRate, count: count)
            s.withUnsafeBufferPointer { sp in
                for i in 0..<count where env[i] != 0 {
                    var cycles = cyclesPerSample * Double(i)
                    cycles -= cycles.rounded(.down)
                    let theta = 2 * Double.pi * cycles
                    y[i] += env[i] * sineSeries(sp, theta: theta)
                }
            }
        }
        return y
    }

    private static func harmonicsBelowNyquist(fund: Double, sampleRate: Int) -> Int {
        harmonicsBelowNyquist(f0: fund, sampleRate: sampleRate)
    }

    /// Σ_{k=1}^{K} s_k sin(kθ) by Clenshaw's recurrence.
    @inline(__always)
    public static func sineSeries(_ s: UnsafeBufferPointer<Double>, theta: Double) -> Double {
        let twoCos = 2 * cos(theta)
        var b1 = 0.0, b2 = 0.0
        var k = s.count - 1
        while k >= 0 {
            let b0 = s[k] + twoCos * b1 - b2
            b2 = b1
            b1 = b0
            k -= 1
        }
        return b1 * sin(theta)
    }
}
