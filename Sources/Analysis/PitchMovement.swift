#if canImport(Glibc)
import Glibc
#endif

/// How a note's pitch moves: its deviation, range, vibrato and attack scoop, from the pitch track
/// (PitchTrack) over the active frames, in cents relative to the analysis f0.
public struct PitchMovement: Sendable, Equatable {
    /// A periodic pitch modulation.
    public struct Vibrato: Sendable, Equatable {
        /// Modulation rate (Hz).
        public var rate: Double
        /// Peak deviation (cents): the pitch swings ±depth.
        public var depth: Double
        /// When it reaches half its depth, after the note's first active frame (s).
        public var onset: Double
    }
    /// A start off the held pitch that settles.
    public struct Scoop: Sendable, Equatable {
        /// The start's offset from the held pitch (cents; negative: from below).
        public var cents: Double
        /// When the pitch is and stays within ±`settledCents` of the held pitch, after the note's first active frame (s).
        public var settle: Double
    }

    /// Frames of pitched, active signal: cents of the followed track relative to the analysis f0
    /// (NaN elsewhere).
    public var cents: [Double]
    /// The same frames' scored track (fmscore's: harmonics within ±3 % of k·f0 only), in cents.
    public var scoredCents: [Double]
    /// Frame spacing (s).
    public var frameSeconds: Double
    /// RMS over the pitched active frames of the scored track about its median (cents) — fmscore's
    /// `pitch_dev_cents`.
    public var deviation: Double
    /// Median (the held pitch), lowest and highest (5th and 95th percentiles) of `cents`.
    public var median: Double, low: Double, high: Double
    public var vibrato: Vibrato?
    public var scoop: Scoop?

    /// A vibrato counts when its depth is at least this (cents) …
    public static let vibratoMinimumDepth = 3.0
    /// … and it explains at least this share of the pitch's variance about its trend, where it plays.
    public static let vibratoMinimumShare = 0.5
    /// Vibrato rates searched (Hz): the range of sung and bowed vibrato and of synth LFOs used for it.
    public static let vibratoRates: ClosedRange<Double> = 3...9
    /// A start this far off the held pitch (cents) is a scoop …
    public static let scoopMinimumCents = 10.0
    /// … which has settled once the trend stays within this (cents) for `settledHoldSeconds`
    /// (a pitch gliding through the held pitch does not settle).
    public static let settledCents = 5.0
    public static let settledHoldSeconds = 0.05

    /// A scoop is the largest offset of the trend within this long after the note's start (s).
    public static let scoopWindowSeconds = 0.1
    /// … and must settle within this (s); a pitch that keeps gliding is not a scoop.
    public static let scoopLongestSettle = 0.5

    /// `track`: Hz per frame (PitchTrack); `active`: the analysis' active frames; `leadIn`: frames
    /// after the first active one whose windows still reach before the note (a window: their peaks
    /// mix the onset with the silence before it), left out of vibrato and scoop.
    /// `scored`: the same frames' fmscore track (PitchTrack; the followed one if nil).
    public init(track: [Double], scored: [Double]? = nil, active: [Bool], f0: Double, frameSeconds: Double, leadIn: Int = 0) {
        self.frameSeconds = frameSeconds
        func centsOf(_ x: [Double]) -> [Double] {
            x.indices.map { active[$0] && x[$0].isFinite ? PitchTrack.cents(x[$0], reference: f0) : .nan }
        }
        cents = centsOf(track)
        scoredCents = scored.map(centsOf) ?? cents
        let pitched = cents.filter { $0.isFinite }.sorted()
        let scoredCents = self.scoredCents.filter { $0.isFinite }.sorted()
        guard !pitched.isEmpty, !scoredCents.isEmpty else {
            deviation = 0; median = 0; low = 0; high = 0
            return
        }
        median = Self.quantile(pitched, 0.5)
        low = Self.quantile(pitched, 0.05)
        high = Self.quantile(pitched, 0.95)
        let m = Self.quantile(scoredCents, 0.5)
        deviation = (scoredCents.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(scoredCents.count)).squareRoot()
        guard let onset = active.firstIndex(of: true), let last = cents.lastIndex(where: { $0.isFinite }),
              last > onset + leadIn else { return }
        let series = Self.filled(Array(cents[(onset + leadIn)...last]))
        let fit = VibratoFit(series: series, frameSeconds: frameSeconds)
        let lead = Double(leadIn) * frameSeconds
        if var v = fit.vibrato, v.depth >= Self.vibratoMinimumDepth, fit.share >= Self.vibratoMinimumShare {
            v.onset += lead
            vibrato = v
        }
        scoop = Self.scoop(trend: fit.trend(without: vibrato), median: median, frameSeconds: frameSeconds)
            .map { Scoop(cents: $0.cents, settle: $0.settle + lead) }
    }

    /// The scoop of a trend (vibrato removed) that starts at the note's start: its largest offset
    /// from the held pitch in the first `scoopWindowSeconds`, if far enough off and settled in time.
    static func scoop(trend: [Double], median: Double, frameSeconds: Double) -> Scoop? {
        let window = min(trend.count, max(1, Int((scoopWindowSeconds / frameSeconds).rounded())))
        let hold = max(1, Int((settledHoldSeconds / frameSeconds).rounded()))
        guard let peak = (0..<window).max(by: { abs(trend[$0] - median) < abs(trend[$1] - median) }),
              abs(trend[peak] - median) >= scoopMinimumCents,
              let settled = (peak..<trend.count).first(where: { s in
                  let end = min(trend.count, s + hold)
                  return end - s == hold && (s..<end).allSatisfy { abs(trend[$0] - median) <= settledCents }
              }),
              Double(settled) * frameSeconds <= scoopLongestSettle else { return nil }
        return Scoop(cents: trend[peak] - median, settle: Double(settled) * frameSeconds)
    }

    /// Linear interpolation over NaN gaps (ends held).
    static func filled(_ x: [Double]) -> [Double] {
        var y = x
        var lastGood = -1
        for i in y.indices where y[i].isFinite {
            if lastGood >= 0 && i - lastGood > 1 {
                for j in (lastGood + 1)..<i {
                    let w = Double(j - lastGood) / Double(i - lastGood)
                    y[j] = y[lastGood] * (1 - w) + y[i] * w
                }
            } else if lastGood < 0 {
                for j in 0..<i { y[j] = y[i] }
            }
            lastGood = i
        }
        if lastGood >= 0 { for j in (lastGood + 1)..<y.count { y[j] = y[lastGood] } }
        return y
    }

    /// Linear-interpolated quantile of sorted values.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let p = q * Double(sorted.count - 1)
        let i = Int(p), f = p - Double(i)
        return i + 1 < sorted.count ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i]
    }
}
