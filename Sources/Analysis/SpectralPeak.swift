#if canImport(Glibc)
import Glibc
#endif

/// Interpolated spectral peaks in a magnitude spectrum with bin spacing `df` Hz.
enum SpectralPeak {
    /// Frequency and amplitude of the largest bin within f ± half (Hz, always including the bin
    /// nearest f), refined by a parabola through the log magnitudes of it and its neighbours.
    /// The refinement of the amplitude is capped at +1.6 dB (a Hann peak between bins is
    /// < 0.2 dB above the larger bin with 2× zero padding; the cap only guards plateaus).
    static func largest(in mag: UnsafeBufferPointer<Double>, df: Double, near f: Double,
                        halfWidth half: Double) -> (frequency: Double, amplitude: Double) {
        var lo = max(1, Int(((f - half) / df).rounded(.up)))
        var hi = min(mag.count - 2, Int(((f + half) / df).rounded(.down)))
        let c = roundHalfEven(f / df)
        lo = min(lo, c); hi = max(hi, c)
        lo = max(1, lo); hi = min(mag.count - 2, hi)
        if hi < lo { return (f, 0) }
        var j = lo
        for i in lo...hi where mag[i] > mag[j] { j = i }
        let floor = max(mag[j] * 1e-10, 1e-300)
        let a = log(max(mag[j - 1], floor)), b = log(max(mag[j], floor)), g = log(max(mag[j + 1], floor))
        let den = a - 2 * b + g
        var p = den < 0 ? 0.5 * (a - g) / den : 0
        p = min(max(p, -0.5), 0.5)
        let lift = min(max(-0.25 * (a - g) * p, 0), log(1.2))
        return ((Double(j) + p) * df, exp(b + lift))
    }
}
