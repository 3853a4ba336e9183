import FFTW
import FMSynthesis

/// Signed sine amplitudes s_1…s_K of one period of a unit, from an FFT of M samples
/// (x = Σ s_k sin(kθ) ⇒ X_k = −i M s_k / 2 ⇒ s_k = −2 Im X_k / M).
public func periodSpectrum(_ unit: FMUnit, harmonics K: Int, samples M: Int = 16384) -> [Double] {
    let fft = RealFFT(size: M)
    let y = PeriodRender.render(unit, samples: M)
    for i in 0..<M { fft.input[i] = y[i] }
    fft.transform()
    return (1...K).map { -2 * fft.bin($0).im / Double(M) }
}
