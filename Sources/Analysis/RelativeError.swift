/// Horner's relative spectral error over frames (Horner, Beauchamp & Haken 1993; method.md):
///   err = mean_t sqrt(Σ_k (b_k(t) − b'_k(t))² / Σ_k b_k(t)²),
/// each frame's denominator floored at `AnalysisSettings.denominatorFloor` of the largest, so that
/// frames whose components are more than 60 dB down do not dominate. One definition for the
/// harmonic tracks (TargetAnalysis), the semitone bands (BandSpectrum) and fits of either.
public enum RelativeError {
    /// The error from each frame's Σ(b − b')² and Σb² (0 without frames).
    public static func mean(numerators: [Double], denominators: [Double]) -> Double {
        guard let dmax = denominators.max() else { return 0 }
        let floor = max(dmax, 1e-300) * AnalysisSettings.denominatorFloor
        var sum = 0.0
        for i in numerators.indices { sum += (numerators[i] / max(denominators[i], floor)).squareRoot() }
        return sum / Double(numerators.count)
    }
}
