import FFTW
#if canImport(Glibc)
import Glibc
#endif

/// How harmonic a note is when its pitch moves: Harmonicity's share of the power at harmonics,
/// measured frame by frame at harmonics of the frame's own pitch f0·2^(cents(t)/1200) instead of
/// the held f0. A drum whose partials fall together, or a vibrato note, smears its harmonics over
/// the long-term spectrum and measures less harmonic at a held f0 than it is; along its pitch it
/// measures what pitch curves can play (issue 14's mode choice: such a note stays harmonic).
/// Same frames, window and harmonic bins as Harmonicity (93 ms Hann frames, the active ones;
/// ±max(2 bins, 2 %·k·f0), at most ±f0/4; from f0/2 to 20 kHz).
extension Harmonicity {
    /// This measure with `alongPitch` set when `cents` (the note's pitch curve) is given.
    public func following(_ cents: ((Double) -> Double)?, of x: [Double], spectrum: BandSpectrum, f0: Double) -> Harmonicity {
        guard let cents else { return self }
        var h = self
        h.alongPitch = Self.share(alongPitch: cents, of: x, spectrum: spectrum, f0: f0)
        return h
    }

    /// `cents`: the pitch (cents about f0) at a time (s).
    public static func share(alongPitch cents: (Double) -> Double, of x: [Double], spectrum s: BandSpectrum, f0: Double) -> Double {
        let n = s.size, hop = s.hop, df = s.binHz
        let top = min(Double(s.sampleRate) / 2, AnalysisSettings.harmonicBandHz)
        let fft = RealFFT(size: n), window = Window.hann(n, periodic: true)
        var frame = [Double](repeating: 0, count: n)
        var total = 0.0, atHarmonics = 0.0
        for t in 0..<s.frameCount where s.active[t] {
            _ = BandSpectrum.frame(x, t, size: n, hop: hop, into: &frame)
            for j in 0..<n { fft.input[j] = frame[j] * window[j] }
            fft.transform()
            let ft = f0 * pow(2, cents(Double(t * hop) / Double(s.sampleRate)) / 1200)
            let lo = Int((0.5 * ft / df).rounded(.up)), hi = min(fft.binCount, Int(top / df))
            guard hi > lo else { continue }
            let harmonic = harmonicBins(count: fft.binCount, f0: ft, binHz: df, top: top)
            for j in lo..<hi {
                let (re, im) = fft.bin(j)
                let p = re * re + im * im
                total += p
                if harmonic[j] { atHarmonics += p }
            }
        }
        return total > 0 ? atHarmonics / total : 1
    }
}
