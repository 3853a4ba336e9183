#if canImport(Glibc)
import Glibc
#endif

/// Alias-free rendering of a patch whose ratios are not integers (the inharmonic mode, issue 14):
/// a unit is no longer periodic in 1/f0, so PatchRenderer's harmonic series does not apply; its
/// exact expansion (PartialSpectrum, Jacobi–Anger with real ratios) is summed partial by partial,
/// keeping only the partials below Nyquist:
///   y(t) = Σ_j e_j(t) Σ_p A_jp sin(2π r_jp f0 t),
/// every unit starting at phase 0 as in the fitness. The phase of each partial is reduced to one
/// cycle before sin (exact for long notes). A fixed pitch (what the mode fits); `f0` transposes,
/// the envelopes keep their timeline.
///
/// Moving indices (index envelopes, e.g. IndexDecay): Jacobi–Anger holds at every instant, so
/// each component (a, b) keeps its frequency c + a·m1 + b·m2 and its amplitude J_a(I1(t))·J_b(I2(t))
/// (cascade: J_b(a·I2(t))) follows the indices; the amplitudes are computed every `knotSamples`
/// samples and interpolated linearly between (the decays it plays move the indices by < 0.1 %
/// over 64 samples).
public enum PartialRenderer {
    public static func render(_ patch: Patch, sampleRate: Int, count: Int, f0: Double? = nil) -> [Double] {
        let fund = f0 ?? patch.f0, sr = Double(sampleRate)
        var y = [Double](repeating: 0, count: count)
        guard count > 0, fund > 0 else { return y }
        let nyquistRatio = sr / 2 / fund
        for j in patch.units.indices {
            let env = patch.envelopes[j].render(sampleRate: sampleRate, count: count)
            if let moving = patch.indexEnvelopes[j] {
                renderMoving(patch.realUnit(j), moving, env: env, f0: fund, sampleRate: sampleRate, into: &y)
                continue
            }
            let partials = PartialSpectrum.partials(patch.realUnit(j), below: nyquistRatio)
            for p in partials {
                let cyclesPerSample = p.ratio * fund / sr
                for i in 0..<count where env[i] != 0 {
                    let cycles = cyclesPerSample * Double(i)
                    y[i] += env[i] * p.amplitude * sin(2 * Double.pi * (cycles - cycles.rounded(.down)))
                }
            }
        }
        return y
    }

    public static let knotSamples = 64

    static func renderMoving(_ u: RealRatioUnit, _ moving: IndexEnvelopes, env: [Double], f0: Double, sampleRate: Int,
                             into y: inout [Double]) {
        let count = env.count, sr = Double(sampleRate), nyquistRatio = sr / 2 / f0
        let knots = (0...(count / knotSamples + 1)).map { Double($0 * knotSamples) / sr }
        let K = knots.count
        let i1 = knots.map { max(0, moving.index1.value(at: $0)) }, i2 = knots.map { max(0, moving.index2.value(at: $0)) }
        // J_n(x) of every knot's index, orders 0 ..< width (row k at k·width)
        func table(_ x: [Double]) -> (values: [Double], width: Int) {
            let width = Bessel.capacity(for: x.max() ?? 0)
            var t = [Double](repeating: 0, count: K * width)
            t.withUnsafeMutableBufferPointer { p in
                for k in 0..<K { Bessel.sequence(x: x[k], into: UnsafeMutableBufferPointer(rebasing: p[(k * width)..<((k + 1) * width)])) }
            }
            return (t, width)
        }
        func j(_ t: (values: [Double], width: Int), _ n: Int, _ k: Int) -> Double {
            let m = abs(n)
            guard m < t.width else { return 0 }
            let v = t.values[k * t.width + m]
            return n < 0 && m & 1 != 0 ? -v : v
        }
        let outer = table(i1)
        let parallelInner = u.topology == .parallel ? table(i2) : nil
        let na = outer.width - 1
        var amplitudes = [Double](repeating: 0, count: K)
        for a in -na...na {
            if (0..<K).allSatisfy({ abs(j(outer, a, $0)) < PartialSpectrum.floor }) { continue }
            // J_b(−x) = (−1)^b J_b(x): a cascade's negative orders a modulate with −|a|·I2
            let inner = parallelInner ?? table(i2.map { Double(abs(a)) * $0 })
            let nb = inner.width - 1
            for b in -nb...nb {
                var f = u.carrier + Double(a) * u.modulator1 + Double(b) * u.modulator2
                var sign = 1.0
                if f < 0 { f = -f; sign = -1 }
                if f < 1e-9 || f >= nyquistRatio { continue }
                if u.topology == .cascade && a < 0 && b & 1 != 0 { sign = -sign }
                var peak = 0.0
                for k in 0..<K {
                    amplitudes[k] = sign * j(outer, a, k) * j(inner, b, k)
                    peak = max(peak, abs(amplitudes[k]))
                }
                if peak < PartialSpectrum.floor { continue }
                let cyclesPerSample = f * f0 / sr
                for i in 0..<count where env[i] != 0 {
                    let k = i / knotSamples, w = Double(i - k * knotSamples) / Double(knotSamples)
                    let amp = (1 - w) * amplitudes[k] + w * amplitudes[k + 1]
                    let cycles = cyclesPerSample * Double(i)
                    y[i] += env[i] * amp * sin(2 * Double.pi * (cycles - cycles.rounded(.down)))
                }
            }
        }
    }
}
