#if canImport(Glibc)
import Glibc
#endif

/// f0(t), one value per analysis frame, from the harmonics' interpolated peak frequencies.
///
/// The definition of `../shared/tools/fmscore.py`'s pitch track, so that fmevolve's pitch figures
/// and the independent scorer's agree: for the harmonics k = 1…12 below the band top, the largest
/// peak within ±3 % of k·f0 (SpectralPeak.largest: frequency f_k and amplitude a_k by a parabola
/// through the log magnitudes); a harmonic counts when that peak lies inside the range, and
///     f0(t) = Σ_k a_k k f_k / Σ_k a_k k²,
/// the weighted least-squares f0 of f_k ≈ k·f0 (weights a_k). NaN where no harmonic counts.
/// Within a run of active frames the search follows a pitch that moves far: once frame t−1 lies
/// more than 25 cents from f0, frame t searches around k·f0(t−1) instead of k·f0 (a tom's
/// 300-cent drop leaves any fixed ±3 % range within a tenth of a second). Where the pitch stays
/// within 25 cents of f0 — vibrato, scoops and drift of every bundled note but the deepest frames of
/// the trumpet's scoop — this is exactly fmscore's track.
public enum PitchTrack {
    /// Harmonics the track uses (the strongest and best resolved of most notes).
    public static let harmonics = 12
    /// Beyond this distance from f0 (cents) the search follows the previous frame's pitch.
    public static let followBeyondCents = 25.0

    /// The track of x on the tracker's frames (Hz per frame); `active`: the frames to follow
    /// through (elsewhere each frame searches around f0; all frames if nil).
    public static func track(_ x: [Double], tracker: HarmonicTracker, active: [Bool]? = nil) -> [Double] {
        let sr = Double(tracker.sampleRate)
        let df = sr / Double(tracker.parameters.fftSize)
        let top = min(sr / 2, AnalysisSettings.harmonicBandHz)
        var out = [Double](repeating: .nan, count: tracker.frameCount(samples: x.count))
        var centre = tracker.f0
        tracker.forEachFrame(x) { t, mag, _ in
            let following = active.map { t < $0.count && $0[t] } ?? true
            if !following { centre = tracker.f0 }
            var num = 0.0, den = 0.0
            mag.withUnsafeBufferPointer { m in
                for k in 1...harmonics {
                    let fk = Double(k) * centre
                    if fk >= top { break }
                    let tolerance = AnalysisSettings.peakTolerance * fk
                    let (f, a) = SpectralPeak.largest(in: m, df: df, near: fk, halfWidth: tolerance)
                    if a > 0 && abs(f - fk) <= tolerance {
                        num += a * Double(k) * f
                        den += a * Double(k * k)
                    }
                }
            }
            if den > 0 {
                out[t] = num / den
                let far = abs(PitchTrack.cents(out[t], reference: tracker.f0)) > followBeyondCents
                centre = following && far ? out[t] : tracker.f0
            }
        }
        return out
    }

    /// Cents of `hz` relative to `reference` (1200·log2).
    public static func cents(_ hz: Double, reference: Double) -> Double { 1200 * log2(hz / reference) }
}

extension TargetAnalysis {
    /// The pitch track of `samples` (this recording, or a render of it) on this analysis' frames (Hz).
    public func pitchTrack(of samples: [Double]) -> [Double] {
        PitchTrack.track(samples, tracker: HarmonicTracker(sampleRate: sampleRate, f0: f0, parameters: parameters),
                         active: active)
    }

    /// How the pitch of `samples` (this recording) moves over its active frames.
    public func pitchMovement(of samples: [Double]) -> PitchMovement {
        PitchMovement(track: pitchTrack(of: samples), active: active, f0: f0,
                      frameSeconds: Double(parameters.hop) / Double(sampleRate),
                      leadIn: parameters.window / (2 * parameters.hop))
    }
}
