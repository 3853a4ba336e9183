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

    /// Fits the stages to an envelope over a note of `duration` seconds. The release starts where
    /// the level last drops below 80 % of the median level of the sounding part (≥ 5 % of the
    /// maximum); the peak is the maximum before it, and the attack ends where the level first
    /// reaches 90 % of that peak (a note that keeps creeping up through its sustain still has a
    /// short attack); the sustain is the median level from there to the release; the decay ends
    /// where the level first comes within 10 % of the peak-to-sustain gap; the release lasts
    /// until the level is 40 dB below the sustain. The envelope is first seen through a 15 ms
    /// running median: fitted envelopes can spike where the note changes abruptly (the
    /// deconvolution compensates the analysis window there), and a spike is not a peak.
    public init(_ e: Envelope, duration: Double) {
        let step = 0.001
        let n = max(2, Int(duration / step))
        let t = (0..<n).map { Double($0) * step }
        let raw = t.map { e.value(at: $0) }
        let half = 7
        let v = (0..<n).map { i -> Double in
            let w = raw[max(0, i - half)...min(n - 1, i + half)].sorted()
            return w[w.count / 2]
        }
        let top = v.max() ?? 0
        guard top > 0 else {
            peak = 0; attack = 0; decay = 0; sustain = 0; releaseStart = duration; release = 0
            return
        }
        let iEnd = v.lastIndex { $0 >= 0.05 * top } ?? 0
        let sounding = Array(v[0...iEnd]).sorted()
        let median = sounding[sounding.count / 2]
        let iRelease = v.lastIndex { $0 >= 0.8 * median } ?? iEnd
        let p = v[0...iRelease].max() ?? top
        peak = p
        let iAttack = v.firstIndex { $0 >= 0.9 * p } ?? 0
        attack = t[iAttack]
        let body = Array(v[iAttack...max(iAttack, iRelease)]).sorted()
        let s = min(1, body[body.count / 2] / p)
        sustain = s
        releaseStart = t[iRelease]
        let iSilent = (iRelease..<n).first { v[$0] < 0.01 * s * p } ?? (n - 1)
        release = t[iSilent] - t[iRelease]
        let iDecay = (iAttack...max(iAttack, iRelease)).first { v[$0] <= (s + 0.1 * (1 - s)) * p } ?? iAttack
        decay = t[iDecay] - t[iAttack]
    }
}
