import Analysis
import FMSynthesis

/// Plays a note's pitch curve only as far as it costs no spectral error (issue 13: err no worse
/// than `--fixed-pitch`'s). A curve follows fmscore's pitch track frame by frame, and in a note's
/// first milliseconds that track can swing faster than an analysis window (23 ms or more) can
/// show: the violin's first frames read −14, +9, −22, −41 cents within 17 ms, while its upper
/// harmonics stay put. Played, such a swing smears the render's harmonics in those frames (the
/// violin's 7th and 8th fall to a tenth), and as Horner's error weighs every active frame alike,
/// near-silent onset frames included, a few frames cost more than the vibrato gains.
///
/// So the champion's patch is rendered with its curve and without (the envelopes are the same);
/// when the curve's render measures a higher err than the flat one, the curve's attack is held —
/// the glide's value at a time t_h played from the start, its breakpoints before t_h dropped — for
/// t_h at each analysis frame from the note's first active frame to `holdSeconds` after it. Of the
/// curves whose render's err is no higher than the flat render's, the one whose pitch is closest to
/// the recording's (fmscore's `pitch_err_cents`) is played; if none is, the one with the lowest err.
/// Measured (violin-A4, 2000 generations, seed 1; fmscore): err 0.05744 with the curve as fitted,
/// 0.05730 flat, 0.05727 held to 11.6 ms; pitch_err 2.22, 11.78, 2.55.
public enum AttackHold {
    /// The latest hold tried, after the first active frame (s): the attack's span (PitchCurveFit's
    /// attack breakpoints reach 0.1 s).
    public static let holdSeconds = 0.1

    /// A render of `patch` and its err (fmscore's, on `analysis.scored`).
    public struct Played: Sendable {
        public var patch: Patch
        public var render: [Double]
        public var err: Double

        public init(patch: Patch, render: [Double], err: Double) {
            self.patch = patch; self.render = render; self.err = err
        }
    }

    /// `played`: the patch as it is (with its curve), rendered and scored. Returns it unchanged
    /// when it has no curve, when the analysis has no recording's pitch track (runs stored before
    /// it), or when its err is no higher than the same patch's at a fixed pitch.
    public static func choose(_ played: Played, analysis: TargetAnalysis) -> Played {
        guard let curve = played.patch.pitch, analysis.pitchCents != nil else { return played }
        var flat = played.patch
        flat.pitch = nil
        let flatErr = analysis.scoredError(of: render(flat, analysis))
        guard played.err > flatErr else { return played }
        var lowest = played, closest: (played: Played, pitchErr: Double)?
        for t in holdTimes(analysis) {
            var patch = played.patch
            patch.pitch = held(curve, before: t)
            let samples = render(patch, analysis)
            let candidate = Played(patch: patch, render: samples, err: analysis.scoredError(of: samples))
            if candidate.err < lowest.err { lowest = candidate }
            guard candidate.err <= flatErr else { continue }
            // the pitch track only of the curves that qualify (a third of this stage's time)
            let pitchErr = analysis.pitchError(of: samples) ?? .infinity
            if closest.map({ pitchErr < $0.pitchErr }) ?? true { closest = (candidate, pitchErr) }
        }
        return closest?.played ?? lowest
    }

    /// `curve` with its glide held at its value at `t` before `t` (the vibrato as it is).
    public static func held(_ curve: PitchCurve, before t: Double) -> PitchCurve {
        let g = curve.glide
        let later = g.times.indices.filter { g.times[$0] > t }
        let glide = Envelope(times: [t] + later.map { g.times[$0] }, values: [g.value(at: t)] + later.map { g.values[$0] })
        return PitchCurve(glide: glide, vibrato: curve.vibrato)
    }

    /// The analysis frames' times from the first active one to `holdSeconds` after it.
    static func holdTimes(_ analysis: TargetAnalysis) -> [Double] {
        guard let first = analysis.active.firstIndex(of: true) else { return [] }
        let start = analysis.frameTime(first)
        return (first..<analysis.frameCount).map(analysis.frameTime).filter { $0 <= start + holdSeconds }
    }

    static func render(_ patch: Patch, _ analysis: TargetAnalysis) -> [Double] {
        PatchRenderer.render(patch, sampleRate: analysis.sampleRate, count: analysis.sampleCount)
    }
}
