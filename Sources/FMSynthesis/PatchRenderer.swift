/// Alias-free time-domain rendering of a patch (method.md, "Rendering a champion"); a patch of
/// the inharmonic mode (non-integer ratios) plays by PartialRenderer.
///
/// Each unit is periodic in 1/f0, so below Nyquist it is exactly Σ_k s_k sin(kθ) with its
/// analytic spectrum s_k; summing only the harmonics k·f0 < sr/2 renders the FM tone without the
/// inharmonic fold-back of sidebands above Nyquist that a naive oscillator produces. The series is
/// summed per sample by Clenshaw's recurrence
///   β_k = s_k + 2cosθ·β_{k+1} − β_{k+2},  Σ_k s_k sin(kθ) = β_1 sinθ,
/// each unit is scaled by its envelope (linear between breakpoints) and the units are added.
/// Phase convention: every unit starts at θ = 0, as in the fitness (sine phase, signed s_k).
///
/// Moving pitch (PitchCurve): θ is the integral of 2π f(t) (PitchCurve.phases), shared by every
/// unit, so the ratios hold at every instant; the series stops below Nyquist at the curve's
/// highest pitch, so the render stays alias-free as the pitch moves.
///
/// Dynamic units (index envelopes): Jacobi–Anger is an identity at every instant, so
/// sin(cθ + I1(t) sin(m1θ) + …) = Σ_k s_k(I1(t), I2(t)) sin(kθ) exactly — the phase-modulation
/// oscillator a synth runs with its modulator envelopes. The spectrum is computed every
/// `indexGrid` samples and at the envelopes' breakpoints, and interpolated linearly between
/// (two series per sample): with the
/// envelopes' fastest slopes (≈ 30 rad/s) the indices move < 0.03 rad over a grid step at
/// 44.1 kHz, and the interpolation error is of order (ΔI)²/8 ≈ 1e-4 of the unit's amplitude.
public enum PatchRenderer {
    /// Samples between spectra of a dynamic unit.
    public static let indexGrid = 32

    /// Harmonics below Nyquist for fundamental f0.
    public static func harmonicsBelowNyquist(f0: Double, sampleRate: Int) -> Int {
        let n = Int((Double(sampleRate) / 2 / f0).rounded(.up)) - 1
        return max(0, n)
    }

    /// Renders `count` samples at `sampleRate`, at the patch's f0 or at `f0` when given
    /// (the envelopes keep their timeline; a pitch curve moves with f0, in cents).
    public static func render(_ patch: Patch, sampleRate: Int, count: Int, f0: Double? = nil) -> [Double] {
        if patch.ratioGrid != nil { return PartialRenderer.render(patch, sampleRate: sampleRate, count: count, f0: f0) }
        let fund = f0 ?? patch.f0
        let top = fund * pow(2, max(0, patch.pitch?.highest ?? 0) / 1200)
        let K = harmonicsBelowNyquist(fund: top, sampleRate: sampleRate)
        var y = [Double](repeating: 0, count: count)
        guard K > 0, count > 0 else { return y }
        let ws = SpectrumWorkspace(maxIndex: patch.maxIndex, maxHarmonics: K)
        let phase = phases(patch.pitch, f0: fund, sampleRate: sampleRate, count: count)
        for j in patch.units.indices {
            let env = patch.envelopes[j].render(sampleRate: sampleRate, count: count)
            if let moving = patch.indexEnvelopes[j] {
                renderDynamic(patch.units[j], moving, env: env, K: K, sampleRate: sampleRate,
                              phase: phase, workspace: ws, into: &y)
            } else {
                var s = [Double](repeating: 0, count: K)
                s.withUnsafeMutableBufferPointer { UnitSpectrum.compute(patch.units[j], harmonics: K, into: $0, workspace: ws) }
                s.withUnsafeBufferPointer { sp in
                    for i in 0..<count where env[i] != 0 {
                        y[i] += env[i] * sineSeries(sp, theta: 2 * Double.pi * phase[i])
                    }
                }
            }
        }
        return y
    }

    /// θ/2π of every sample in [0, 1): i·f0/sr reduced to one period (so that long notes keep
    /// their precision), or the pitch curve's integrated phase.
    static func phases(_ pitch: PitchCurve?, f0: Double, sampleRate: Int, count: Int) -> [Double] {
        if let pitch { return pitch.phases(f0: f0, sampleRate: sampleRate, count: count) }
        let cyclesPerSample = f0 / Double(sampleRate)
        return (0..<count).map { i in
            let cycles = cyclesPerSample * Double(i)
            return cycles - cycles.rounded(.down)
        }
    }

    /// A unit whose indices follow `moving`: spectra every `indexGrid` samples and at the
    /// envelopes' breakpoints (where the indices' slopes change), linear between them.
    static func renderDynamic(_ unit: FMUnit, _ moving: IndexEnvelopes, env: [Double], K: Int, sampleRate: Int,
                              phase: [Double], workspace ws: SpectrumWorkspace, into y: inout [Double]) {
        let count = env.count, sr = Double(sampleRate)
        let corners = Set((moving.index1.times + moving.index2.times).map { Int(($0 * sr).rounded(.up)) })
            .filter { $0 > 0 && $0 < count }.sorted()
        var left = [Double](repeating: 0, count: K), right = left
        func spectrum(atSample i: Int, _ out: inout [Double]) {
            let u = moving.unit(unit, at: Double(i) / sr)
            out.withUnsafeMutableBufferPointer { UnitSpectrum.compute(u, harmonics: K, into: $0, workspace: ws) }
        }
        spectrum(atSample: 0, &right)
        var start = 0, corner = 0
        while start < count {
            while corner < corners.count && corners[corner] <= start { corner += 1 }
            let end = min(start + indexGrid, corner < corners.count ? corners[corner] : Int.max)
            swap(&left, &right)
            spectrum(atSample: end, &right)
            let span = Double(end - start)
            left.withUnsafeBufferPointer { l in
                right.withUnsafeBufferPointer { r in
                    for i in start..<min(end, count) where env[i] != 0 {
                        let w = Double(i - start) / span
                        let th = 2 * Double.pi * phase[i]
                        y[i] += env[i] * ((1 - w) * sineSeries(l, theta: th) + w * sineSeries(r, theta: th))
                    }
                }
            }
            start = end
        }
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
