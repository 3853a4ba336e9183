import FMSynthesis

/// An attack–decay–sustain–release approximation of a fitted envelope, for synths whose
/// envelopes have only those four stages (norns FM7, and the note-off time of a rendered note).
public struct ADSR: Sendable, Equatable {
    /// Peak amplitude (linear).
    public var peak: Double
    /// Seconds from note-on to the peak.
    public var attack: Double
    /// Seconds from the peak down to the sustain level.
    public var decay: Double
    /// Sustain level as a fraction of the peak.
    public var sustain: Double
    /// When the release starts (s from note-on): the note-off time.
    public var releaseStart: Double
    /// Seconds from the release start until the sound is 40 dB below the sustain level.
    public var release: Double

    /// Fits the stages to an envelope over a note of `duration` seconds:
    /// sustain = median level between the peak and the end of the sound (level ≥ 5 % of the
    /// peak); the release starts where the level last drops below 80 % of the sustain; the decay
    /// ends where the level first comes within 10 % of the peak-to-sustain gap.
    public init(_ e: Envelope, duration: Double) {
        let step = 0.001
        let n = max(2, Int(duration / step))
        let t = (0..<n).map { Double($0) * step }
        let v = t.map { e.value(at: $0) }
        let p = v.max() ?? 0
        peak = p
        guard p > 0 else {
            attack = 0; decay = 0; sustain = 0; releaseStart = duration; release = 0
            return
        }
        let iPeak = v.firstIndex(of: p)!
        attack = t[iPeak]
        let iEnd = v.lastIndex { $0 >= 0.05 * p } ?? iPeak
        let body = Array(v[iPeak...max(iPeak, iEnd)]).sorted()
        let s = body[body.count / 2] / p
        sustain = s
        let iRelease = (iPeak...iEnd).last { v[$0] >= 0.8 * s * p } ?? iEnd
        releaseStart = t[iRelease]
        let iSilent = (iRelease..<n).first { v[$0] < 0.01 * s * p } ?? (n - 1)
        release = t[iSilent] - t[iRelease]
        let iDecay = (iPeak...iRelease).first { v[$0] <= (s + 0.1 * (1 - s)) * p } ?? iPeak
        decay = t[iDecay] - t[iPeak]
    }
}
