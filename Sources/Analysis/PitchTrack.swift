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
/// far: once frame t−1 lies more than 25 cents from f0, frame t searches around k·f0(t−1) (a
/// tom's 300-cent drop leaves any fixed ±3 % range within a tenth of a second). The two are equal
/// wherever the pitch stays within 25 cents of f0.
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
        var scored = [Double](repeating: .nan, count: tracker.frameCount(samples: x.count))
        var followed = scored
        var centre = tracker.f0
        tracker.forEachFrame(x) { t, mag, _ in
            let following = active.map { t < $0.count && $0[t] } ?? true
            if !following { centre = tracker.f0 }
            mag.withUnsafeBufferPointer { m in
                scored[t] = estimate(m, df: df, around: tracker.f0, top: top)
                followed[t] = centre == tracker.f0 ? scored[t] : estimate(m, df: df, around: centre, top: top)
            }
            if followed[t].isFinite {
                let far = abs(cents(followed[t], reference: tracker.f0)) > followBeyondCents
                centre = following && far ? followed[t] : tracker.f0
            }
        }
        return (scored, followed)
    }

    /// Σ a_k k f_k / Σ a_k k² over the harmonics of `f` that have a peak within ±3 % (NaN if none).
    static func estimate(_ m: UnsafeBufferPointer<Double>, df: Double, around f: Double, top: Double) -> Double {
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
        return den > 0 ? num / den : .nan
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

    /// How the pitch of `samples` (this recording) moves over its active frames.
    public func pitchMovement(of samples: [Double]) -> PitchMovement {
        let tracks = pitchTracks(of: samples)
        return PitchMovement(track: tracks.followed, scored: tracks.scored, active: active, f0: f0,
                             frameSeconds: Double(parameters.hop) / Double(sampleRate),
                             leadIn: parameters.window / (2 * parameters.hop))
    }
}
