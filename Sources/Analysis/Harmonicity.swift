#if canImport(Glibc)
import Glibc
#endif

/// How harmonic a note is: the share of its power at harmonics of f0 (`../shared/tools/fmscore.py`'s
/// `harmonicity`, same definition), and its strongest partials that are not harmonics.
///
/// On the note's long-term power spectrum (BandSpectrum: Σ over the active frames of the 93 ms
/// frames' power), between f0/2 and min(sr/2, 20 kHz): the bins within ±max(2 bins, 2 %·k·f0)
/// (at most ±f0/4) of each k·f0 are harmonic; the share is their power over the whole range's.
/// Measured: the bundled instrument notes 0.9956–0.9997, a rubbed glass 0.9992, a tabla stroke
/// 0.984; a cowbell 0.933, a soft tom 0.887, a struck till bell 0.560.
public struct Harmonicity: Sendable, Equatable {
    /// A partial that is not a harmonic of f0.
    public struct Partial: Sendable, Equatable {
        /// Frequency (Hz, a parabola through the log powers of the peak's bins).
        public var hz: Double
        /// Its frequency over f0 (2.62: between the 2nd and 3rd harmonics).
        public var ratio: Double
        /// Its power relative to the spectrum's strongest peak (dB; both peaks interpolated).
        public var db: Double
    }

    /// Share of the power at harmonics of f0 (0…1).
    public var share: Double
    /// The strongest local maxima of the spectrum outside the harmonic bands, within
    /// `partialRangeDB` of the strongest peak, strongest first (at most `maxPartials`).
    public var partials: [Partial]
    /// The share measured along the note's pitch curve (HarmonicityAlongPitch), when its pitch
    /// moves; nil otherwise.
    public var alongPitch: Double?

    /// Below this share a note is not harmonic enough for integer-ratio FM: with 3 % of its power
    /// between the harmonics, even a perfect match of every harmonic leaves a band error
    /// (`err_bands`) of √0.03 ≈ 0.17 in a frame where that power lies — more than the whole error
    /// of a good match. Between the bundled notes' lowest (0.9956) and a cowbell's (0.933).
    public static let harmonicEnough = 0.97
    public static let partialRangeDB = 30.0, maxPartials = 5

    /// Harmonic enough at the held f0 or along the pitch curve (pitch curves play a moving pitch).
    public var isHarmonicEnough: Bool { max(share, alongPitch ?? 0) >= Self.harmonicEnough }

    public init(_ spectrum: BandSpectrum, f0: Double) {
        let P = spectrum.activePower, df = spectrum.binHz
        let top = min(Double(spectrum.sampleRate) / 2, AnalysisSettings.harmonicBandHz)
        let lo = Int((0.5 * f0 / df).rounded(.up)), hi = min(P.count, Int(top / df))
        let harmonic = Self.harmonicBins(count: P.count, f0: f0, binHz: df, top: top)
        var total = 0.0, atHarmonics = 0.0
        for j in lo..<max(lo, hi) {
            total += P[j]
            if harmonic[j] { atHarmonics += P[j] }
        }
        share = total > 0 ? atHarmonics / total : 1
        partials = Self.partials(P, harmonic: harmonic, range: lo..<max(lo, hi), df: df, f0: f0)
    }

    /// Which of `count` bins lie at harmonics of f0 below `top`: within ±max(2 bins, 2 %·k·f0),
    /// at most ±f0/4, of each k·f0.
    static func harmonicBins(count: Int, f0: Double, binHz df: Double, top: Double) -> [Bool] {
        var harmonic = [Bool](repeating: false, count: count)
        var k = 1.0
        while k * f0 < top {
            let half = min(max(2 * df, 0.02 * k * f0), f0 / 4)
            let a = Int(((k * f0 - half) / df).rounded(.down)), b = Int(((k * f0 + half) / df).rounded(.up))
            for j in max(a, 0)..<min(b + 1, count) { harmonic[j] = true }
            k += 1
        }
        return harmonic
    }

    /// The strongest peaks outside the harmonic bins.
    static func partials(_ P: [Double], harmonic: [Bool], range: Range<Int>, df: Double, f0: Double) -> [Partial] {
        guard range.count >= 3 else { return [] }
        let inner = (range.lowerBound + 1)..<(range.upperBound - 1)
        guard let top = inner.max(by: { P[$0] < P[$1] }), P[top] > 0 else { return [] }
        let strongest = peak(P, top).logPower
        let floor = P[top] * pow(10, -partialRangeDB / 10)
        let peaks = inner.filter { j in !harmonic[j] && P[j] > floor && P[j] > P[j - 1] && P[j] >= P[j + 1] }
        return peaks.sorted { P[$0] > P[$1] }.prefix(maxPartials).map { j in
            let p = peak(P, j)
            let hz = p.bin * df
            return Partial(hz: hz, ratio: hz / f0, db: 10 * (p.logPower - strongest) / log(10))
        }
    }

    /// The peak at bin j, refined by a parabola through the log powers of bins j−1, j, j+1: its
    /// position (bins) and the parabola's top (natural log of power).
    static func peak(_ P: [Double], _ j: Int) -> (bin: Double, logPower: Double) {
        let (a, b, c) = (log(max(P[j - 1], 1e-300)), log(P[j]), log(max(P[j + 1], 1e-300)))
        let den = a - 2 * b + c
        let offset = den < 0 ? min(max(0.5 * (a - c) / den, -0.5), 0.5) : 0
        return (Double(j) + offset, b - 0.25 * (a - c) * offset)
    }
}
