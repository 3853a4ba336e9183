#if canImport(Glibc)
import Glibc
#endif

/// f0(t), one value per analysis frame, from the harmonics' interpolated peak frequencies.
///
/// `scored` is the definition of `../shared/tools/fmscore.py`'s pitch track, so that fmevolve's
/// pitch figures and the independent scorer's agree: for the harmonics k = 1…12 below the band
/// top, the largest peak within ±3 % of k·f0 (SpectralPeak.largest: frequency f_k and amplitude
/// a_k by a parabola through the log magnitudes); a harmonic counts when that peak lies inside
/// the range, and
///     f0(t) = Σ_k a_k k f_k / Σ_k a_k k²,
/// the weighted least-squares f0 of f_k ≈ k·f0 (weights a_k). NaN where no harmonic counts.
/// `followed` is the same, except that within a run of active frames it follows a pitch that moves
/// far: once the previous frame lies more than 25 cents from f0, a frame searches around k·f0 of
/// the previous frame too (a tom's 300-cent drop leaves any fixed ±3 % range within a tenth of a
/// second) and keeps the estimate whose harmonics are stronger (weight Σ a_k k²). It runs both
/// ways — first to last frame, and last to first — and keeps each frame's stronger estimate, so
/// that a pitch that starts far from f0 (a drum's strike above the pitch it falls to) is followed
/// back from where it comes near f0. The two are equal wherever the pitch stays within 25 cents
/// of f0.
public enum PitchTrack {
    /// Harmonics the track uses (the strongest and best resolved of most notes).
    public static let harmonics = 12
    /// Beyond this distance from f0 (cents) the followed track searches around the previous frame's pitch.
    public static let followBeyondCents = 25.0

    /// Both tracks of x on the tracker's frames (Hz per frame); `active`: the frames the followed
    /// track follows through (elsewhere it searches around f0; all frames if nil).
    public static func track(_ x: [Double], tracker: HarmonicTracker, active: [Bool]? = nil)
        -> (scored: [Double], followed: [Double]) {
        let df = Double(tracker.sampleRate) / Double(tracker.parameters.fftSize)
        let top = min(Double(tracker.sampleRate) / 2, AnalysisSettings.harmonicBandHz)
        let T = tracker.frameCount(samples: x.count)
        var scored = [Double](repeating: .nan, count: T)
        var followed = scored, weight = [Double](repeating: 0, count: T)
        for order in [Array(0..<T), Array((0..<T).reversed())] {
            var centre = tracker.f0
            tracker.forEachFrame(x, order: order) { t, mag, _ in
                let following = active.map { t < $0.count && $0[t] } ?? true
                if !following { centre = tracker.f0 }
                var hz = Double.nan
                mag.withUnsafeBufferPointer { m in
                    let atF0 = estimate(m, df: df, around: tracker.f0, top: top)
                    scored[t] = atF0.hz
                    // around the previous pitch, unless the harmonics found around f0 are stronger
                    // (a misleading frame — an onset's transient — must not lead the track astray)
                    let atCentre = centre == tracker.f0 ? atF0 : estimate(m, df: df, around: centre, top: top)
                    let best = atCentre.weight > atF0.weight ? atCentre : atF0
                    hz = best.hz
                    if best.weight > weight[t] || (weight[t] == 0 && followed[t].isNaN) {
                        followed[t] = best.hz
                        weight[t] = best.weight
                    }
                }
                if hz.isFinite {
                    let far = abs(cents(hz, reference: tracker.f0)) > followBeyondCents
                    centre = following && far ? hz : tracker.f0
                }
            }
        }
        return (scored, followed)
    }

    /// Σ a_k k f_k / Σ a_k k² over the harmonics of `f` that have a peak within ±3 % (NaN if none),
    /// and its weight Σ a_k k².
    static func estimate(_ m: UnsafeBufferPointer<Double>, df: Double, around f: Double, top: Double)
        -> (hz: Double, weight: Double) {
        var num = 0.0, den = 0.0
        for k in 1...harmonics {
            let fk = Double(k) * f
            if fk >= top { break }
            let tolerance = AnalysisSettings.peakTolerance * fk
            let (peak, a) = SpectralPeak.largest(in: m, df: df, near: fk, halfWidth: tolerance)
            if a > 0 && abs(peak - fk) <= tolerance {
                num += a * Double(k) * peak
                den += a * Double(k * k)
            }
        }
        return (den > 0 ? num / den : .nan, den)
    }

    /// Cents of `hz` relative to `reference` (1200·log2).
    public static func cents(_ hz: Double, reference: Double) -> Double { 1200 * log2(hz / reference) }
}

extension TargetAnalysis {
    /// The pitch tracks of `samples` (this recording, or a render of it) on this analysis' frames (Hz).
    public func pitchTracks(of samples: [Double]) -> (scored: [Double], followed: [Double]) {
        PitchTrack.track(samples, tracker: HarmonicTracker(sampleRate: sampleRate, f0: f0, parameters: parameters),
                         active: active)
    }

    /// The RMS difference (cents) between the pitch track of `samples` (a render of this note) and
    /// the recording's (`pitchCents`), over the active frames where both are pitched — fmscore's
    /// `pitch_err_cents`. nil without the recording's track or a frame to compare.
    public func pitchError(of samples: [Double]) -> Double? {
        guard let target = pitchCents else { return nil }
        let render = pitchTracks(of: samples).scored
        var sum = 0.0, n = 0
        for t in target.indices where t < render.count && active[t] && target[t].isFinite && render[t].isFinite {
            let d = PitchTrack.cents(render[t], reference: f0) - target[t]
            sum += d * d; n += 1
        }
        return n > 0 ? (sum / Double(n)).squareRoot() : nil
    }

    /// How the pitch of `samples` (this recording) moves over its active frames. Vibrato and scoop
    /// are read from the first frame whose window starts at the note: the first sample within
    /// 40 dB of the loudest (earlier frames mix the note with the silence before it).
    public func pitchMovement(of samples: [Double]) -> PitchMovement {
        let tracks = pitchTracks(of: samples)
        let peak = samples.reduce(0) { max($0, abs($1)) }
        let start = samples.firstIndex { abs($0) >= 0.01 * peak } ?? 0
        let clean = (start + parameters.window / 2 + parameters.hop - 1) / parameters.hop
        let firstActive = active.firstIndex(of: true) ?? 0
        return PitchMovement(track: tracks.followed, scored: tracks.scored, active: active, f0: f0,
                             frameSeconds: Double(parameters.hop) / Double(sampleRate),
                             leadIn: max(0, clean - firstActive))
    }
}
