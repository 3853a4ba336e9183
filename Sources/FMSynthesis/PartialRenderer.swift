#if canImport(Glibc)
import Glibc
#endif

/// Alias-free rendering of a patch whose ratios are not integers (the inharmonic mode, issue 14):
/// a unit is no longer periodic in 1/f0, so PatchRenderer's harmonic series does not apply; its
/// exact expansion (PartialSpectrum, Jacobi–Anger with real ratios) is summed partial by partial,
/// keeping only the partials below Nyquist:
///   y(t) = Σ_j e_j(t) Σ_p A_jp sin(2π r_jp f0 t),
/// every unit starting at phase 0 as in the fitness. The phase of each partial is reduced to one
/// cycle before sin (exact for long notes). Static indices and a fixed pitch only (what the
/// mode fits); `f0` transposes, the envelopes keep their timeline.
public enum PartialRenderer {
    public static func render(_ patch: Patch, sampleRate: Int, count: Int, f0: Double? = nil) -> [Double] {
        let fund = f0 ?? patch.f0, sr = Double(sampleRate)
        var y = [Double](repeating: 0, count: count)
        guard count > 0, fund > 0 else { return y }
        let nyquistRatio = sr / 2 / fund
        for j in patch.units.indices {
            let env = patch.envelopes[j].render(sampleRate: sampleRate, count: count)
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
}
