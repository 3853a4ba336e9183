import Analysis
import FMSynthesis
#if canImport(Glibc)
import Glibc
#endif

extension TargetAnalysis {
    /// The pitch curve of `samples` (this recording) and the analysis fmevolve matches with it
    /// (unless `--fixed-pitch`): each harmonic measured around k·f0·2^(cents(t)/1200) where the
    /// curve moves it far enough for the search around k·f0 to miss it (HarmonicTracker.follows:
    /// 2 FFT bins, or near the search's edge — a drum's fall, a deep scoop, a wide vibrato's high
    /// harmonics, where around k·f0 the nearest-peak rule picks a side lobe: a ±40-cent vibrato
    /// loses 97 % of harmonic 6 in some frames), the others around k·f0 as fmscore measures them.
    /// Measured on issue 13's test tone (a scoop and a ±20-cent vibrato, 30 generations, fmscore
    /// err): this rule 0.0015, every harmonic along the curve 0.0015, whole frames along the curve
    /// beyond 25 cents 0.0063, never (`--fixed-pitch`'s tracks) 0.0100; on the clarinet (10000
    /// generations) every harmonic along the curve 0.044–0.060, `--fixed-pitch`'s 0.0367 (see
    /// README, "Pitch that moves"). A steady note (no curve) keeps this analysis as it is.
    public func followingPitch(of samples: [Double]) -> (analysis: TargetAnalysis, pitch: PitchCurve?) {
        let movement = pitchMovement(of: samples)
        var tracked = self
        tracked.pitchCents = movement.scoredCents
        let noteStart = frameTime(active.firstIndex(of: true) ?? 0)
        let vibrato = movement.vibrato.map { (rate: $0.rate, onset: noteStart + $0.onset) }
        guard let curve = PitchCurveFit.fit(cents: Self.fitted(movement), frameSeconds: movement.frameSeconds,
                                            vibrato: vibrato) else {
            return (tracked, nil)
        }
        return (tracked.following(samples, curve: curve), curve)
    }

    /// This analysis with the pitch track of `samples` (this recording), which a render's pitch
    /// error is measured against (`pitchError(of:)`), for a run at a fixed pitch.
    public func withPitchTrack(of samples: [Double]) -> TargetAnalysis {
        var a = self
        a.pitchCents = pitchMovement(of: samples).scoredCents
        return a
    }

    /// The track the curve is fitted to: where the followed pitch lies within reach of the scored
    /// track (±3 % of f0, 51 cents) and that track has a value, the scored one — what fmscore
    /// compares a render's pitch with; farther out (a drum's fall) the followed one. They differ
    /// where a noisy attack's harmonics read differently around f0 and around the previous frame's
    /// pitch (the French horn's first 90 ms: −7 against −30 cents).
    static func fitted(_ m: PitchMovement) -> [Double] {
        m.cents.indices.map { t in
            m.cents[t].isFinite && abs(m.cents[t]) <= reach && m.scoredCents[t].isFinite ? m.scoredCents[t] : m.cents[t]
        }
    }

    /// How far from f0 a search around k·f0 reaches (cents): ±3 % (AnalysisSettings.peakTolerance).
    static let reach = PitchTrack.cents(1 + AnalysisSettings.peakTolerance, reference: 1)

    /// This analysis as a run with `curve` (a patch's pitch curve) matches it: each harmonic of
    /// `samples` measured around k·f0·2^(cents(t)/1200) where the curve moves it far enough for the
    /// search around k·f0 to miss it (HarmonicTracker.follows), around k·f0 elsewhere
    /// (followingPitch); itself when the curve never moves a harmonic that far, or is nil.
    public func following(_ samples: [Double], curve: PitchCurve?) -> TargetAnalysis {
        guard let curve else { return self }
        let centres = (0..<frameCount).map { t in f0 * pow(2, curve.cents(at: frameTime(t)) / 1200) }
        let tracker = HarmonicTracker(sampleRate: sampleRate, f0: f0, parameters: parameters)
        guard tracker.followsAny(centres: centres) else { return self }
        let followed = following(samples, centres: centres)
        return relativeSpectralError(followed.amplitudes) >= Self.followingMatters ? followed : self
    }

    /// How much measuring along the curve must change the tracks (Horner's relative error between
    /// the two sets, over the active frames) for the search to fit the followed ones. Below it the
    /// search fits the tracks fmscore scores, exactly as `--fixed-pitch` does, and the curve is
    /// played on top. Measured: the bundled notes change by 0.0003 (clarinet) to 0.008 (violin),
    /// less than any match's error (0.006 and up), and following them only sent the search
    /// elsewhere — over five seeds each, errs scattered both ways around `--fixed-pitch`'s (tenor
    /// sax +0.003 in the mean, clarinet −0.004; README, "Pitch that moves"); issue 13's test tone
    /// (a 40-cent scoop, a ±20-cent vibrato) changes by 0.014 and its err is 0.0015 following
    /// against 0.0100 not; a 300-cent drum fall changes by 0.055.
    public static let followingMatters = 0.01
}
