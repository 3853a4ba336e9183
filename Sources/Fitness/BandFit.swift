import Analysis
import FMSynthesis

/// The band error of a genome of units with real ratios (issue 14's inharmonic fitness, static
/// indices): each unit's band powers S_jb (BandModel, unit amplitude), and per active frame the
/// units' powers p_j = a_j² ≥ 0 fitted to the note's band amplitudes B_b.
///
/// Components of different units do not share a phase (their ratios differ), so their powers add:
/// the model's band amplitude is M_b = √(Σ_j p_j S_jb), linear in p. Band error is measured on
/// amplitudes, (B − M)², and B² − M² = (B − M)(B + M) ≈ 2B(B − M) near a fit, so weighted least
/// squares on powers with w_b = 1/(4B_b² + ε) fits amplitudes to first order (ε: the band at
/// 1 % of the frame's loudest band's amplitude, so that an empty band does not dominate); the
/// weighted problem is NNLS in Gram form (G = S W Sᵀ, r = S W B²), exact for up to 8 units.
/// Then err_bands over the active frames, as BandSpectrum.error measures a render: Horner's
/// relative error, each frame's denominator floored at 1e-6 of the largest.
/// Partials of two units at the same frequency (to a fraction of a bin) add in amplitude, not in
/// power; inharmonic ratios rarely meet so, and the model ignores it.
public struct BandFit: Sendable {
    public let target: BandSpectrum
    public let model: BandModel
    /// The reference frequency the ratios multiply (Hz).
    public let f0: Double

    public init(target: BandSpectrum, f0: Double) {
        self.target = target
        self.f0 = f0
        model = BandModel(layout: target)
    }

    /// Unit j's band powers at unit amplitude.
    public func bandPowers(_ unit: RealRatioUnit) -> [Double] {
        let top = min(Double(target.sampleRate) / 2, AnalysisSettings.harmonicBandHz) / f0
        let partials = PartialSpectrum.partials(unit, below: top).map { (hz: $0.ratio * f0, amplitude: $0.amplitude) }
        return model.bandAmplitudes(partials).map { $0 * $0 }
    }

    /// The genome's band error and every frame's unit amplitudes a_j(t) = √p_j (T×N, frame-major;
    /// 0 on silent frames).
    public func evaluate(_ genome: [RealRatioUnit]) -> (err: Double, amplitudes: [Double]) {
        let N = genome.count, B = target.bands.count, T = target.frameCount
        let S = genome.map(bandPowers)
        var amplitudes = [Double](repeating: 0, count: T * N)
        var nums: [Double] = [], dens: [Double] = []
        var gram = [Double](repeating: 0, count: N * N), r = [Double](repeating: 0, count: N)
        for t in 0..<T where target.active[t] {
            let b = Array(target.amplitudes[(t * B)..<((t + 1) * B)])
            let loudest = b.max() ?? 0
            let epsilon = 4 * (0.01 * loudest) * (0.01 * loudest)
            let w = b.map { 1 / (4 * $0 * $0 + max(epsilon, 1e-300)) }
            for j in 0..<N {
                r[j] = 0
                for k in 0..<B { r[j] += w[k] * S[j][k] * b[k] * b[k] }
                for l in j..<N {
                    var g = 0.0
                    for k in 0..<B { g += w[k] * S[j][k] * S[l][k] }
                    gram[j * N + l] = g; gram[l * N + j] = g
                }
            }
            let p = NNLS.solve(gram: gram, r: r)
            var num = 0.0, den = 0.0
            for k in 0..<B {
                var m = 0.0
                for j in 0..<N { m += p[j] * S[j][k] }
                let d = b[k] - m.squareRoot()
                num += d * d; den += b[k] * b[k]
            }
            for j in 0..<N { amplitudes[t * N + j] = max(p[j], 0).squareRoot() }
            nums.append(num); dens.append(den)
        }
        return (RelativeError.mean(numerators: nums, denominators: dens), amplitudes)
    }
}
