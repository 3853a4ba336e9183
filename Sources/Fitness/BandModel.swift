import Analysis
import FMSynthesis
#if canImport(Glibc)
import Glibc
#endif

/// What BandSpectrum measures of a steady sum of partials, without rendering: the first piece of
/// issue 14's inharmonic fitness, which fits units' band powers frame by frame.
///
/// A partial A·sin(2πft) in an n-point Hann-windowed frame has the unnormalised DFT
///   X[k] = (A/2i)(e^{iφ} W(k − f/Δf) − e^{−iφ} W(k + f/Δf)),  Δf = sr/n,
/// with W the window's transform; for the periodic Hann w[m] = ½ − ½cos(2πm/n),
///   W(δ) = e^{−iπδ(n−1)/n} [½ S(δ) + ¼ e^{−iπ/n} S(δ−1) + ¼ e^{iπ/n} S(δ+1)],
///   S(x) = sin(πx) / sin(πx/n)   (S(0) = n),
/// the Dirichlet kernel shifted by ±1 bin for the cosine term. A band's power is the sum of |X[k]|²
/// over its bins; partials more than `reach` bins apart do not share bins (Hann's side lobes are
/// below −60 dB there), so their powers add: the model sums (A²/4)|W|² for each partial (and its
/// image at −f) over the bins within `reach` — exact for partials that far apart, the expected
/// value (over their relative phase) for closer ones.
public struct BandModel: Sendable {
    public let layout: BandSpectrum
    /// Bins on either side of a partial that its power reaches.
    public static let reach = 8

    public init(layout: BandSpectrum) { self.layout = layout }

    /// |W(δ)|² of the periodic Hann window of n points, δ in bins.
    public static func windowPower(_ delta: Double, size n: Int) -> Double {
        func s(_ x: Double) -> Double {
            let den = sin(Double.pi * x / Double(n))
            return abs(den) < 1e-300 ? Double(n) * (Int(x.rounded()) % (2 * n) == 0 ? 1 : -1) : sin(Double.pi * x) / den
        }
        let a = 0.5 * s(delta), b = 0.25 * s(delta - 1), c = 0.25 * s(delta + 1)
        let phase = Double.pi / Double(n)
        // ½S(δ) + ¼e^{−iπ/n}S(δ−1) + ¼e^{iπ/n}S(δ+1)
        let re = a + (b + c) * cos(phase), im = (c - b) * sin(phase)
        return re * re + im * im
    }

    /// The band amplitudes √(Σ power over the band's bins) of the partials (frequency in Hz,
    /// amplitude) sounding steadily through a frame.
    public func bandAmplitudes(_ partials: [(hz: Double, amplitude: Double)]) -> [Double] {
        let df = layout.binHz, n = layout.size
        var power = [Double](repeating: 0, count: n / 2 + 1)
        for p in partials {
            let a2 = 0.25 * p.amplitude * p.amplitude
            for centre in [p.hz / df, -p.hz / df] {
                let lo = max(0, Int(centre.rounded(.down)) - Self.reach), hi = min(power.count - 1, Int(centre.rounded(.up)) + Self.reach)
                if lo > hi { continue }
                for k in lo...hi { power[k] += a2 * Self.windowPower(Double(k) - centre, size: n) }
            }
        }
        return layout.bands.map { band in band.reduce(0) { $0 + power[$1] }.squareRoot() }
    }
}
