import Analysis
import FMSynthesis
#if canImport(Glibc)
import Glibc
#endif

/// Fits a PitchCurve to a note's pitch track (cents per analysis frame), by least squares over
/// its pitched frames — the RMS difference of two pitch tracks is what fmscore's
/// `pitch_err_cents` measures:
///  1. with a vibrato (PitchMovement found one): a coarse glide (breakpoints at the attack, then
///     every 0.25 s) plus the vibrato as S(t)·sin(2πr(t−t₀)) + C(t)·cos(2πr(t−t₀)), S and C
///     linear between breakpoints one cycle apart (a player's depth and phase drift) and 0 at
///     its start t₀ (it fades in); the rate r is searched around the analysis' estimate;
///  2. the glide: the track minus that vibrato, smoothed over 3 frames, reduced to its
///     Douglas–Peucker breakpoints (within `glideTolerance`);
///  3. glide values and vibrato S, C refitted together on those breakpoints;
///  4. breakpoints that only wiggle — turn back by less than `glideTolerance` — are dropped
///     (Wiggles), so that a glide that falls, falls (a drum's tail adds noise, not a rise);
///  5. S, C at each breakpoint become depth D = √(S²+C²) and phase P = atan2(C, S)/2π (cycles,
///     unwrapped); the phase's mean slope moves into the rate (PitchCurve.Vibrato).
/// Every step is linear least squares, so the fit is deterministic and takes milliseconds.
public enum PitchCurveFit {
    /// Douglas–Peucker tolerance of the glide's breakpoints (cents) …
    public static let glideTolerance = 1.0
    /// … raised ×1.5 until it keeps at most this many.
    public static let maxGlidePoints = 32
    /// A curve without vibrato that stays within this of f0 (cents) is no curve: the note is steady.
    public static let steadyCents = 0.5
    /// Rates tried about the analysis' estimate (Hz): ±15 steps of 0.02 Hz.
    static let rateStep = 0.02, rateSteps = 15
    /// Breakpoints of the coarse glide of step 1, after the first pitched frame (s).
    static let attackKnots = [0.02, 0.05, 0.1], coarseSpacing = 0.25

    /// `cents`: per frame, NaN where unpitched; `vibrato`: its rate (Hz) and onset (s from frame 0),
    /// when the note has one. nil when fewer than 3 frames are pitched or the pitch is steady.
    public static func fit(cents: [Double], frameSeconds: Double, vibrato: (rate: Double, onset: Double)?) -> PitchCurve? {
        let frames = cents.indices.filter { cents[$0].isFinite }
        guard frames.count >= 3 else { return nil }
        let track = Track(t: frames.map { Double($0) * frameSeconds }, y: frames.map { cents[$0] })
        var shape: VibratoShape?
        var vibratoPart = [Double](repeating: 0, count: track.t.count)
        if let v = vibrato, v.rate > 0 {
            let coarse = coarseKnots(track)
            let start = min(max(track.first, v.onset - 0.5 / v.rate), track.last)
            let tried = (-rateSteps...rateSteps).map { v.rate + rateStep * Double($0) }.filter { $0 > 0 }.compactMap { r in
                let s = VibratoShape(rate: r, start: start, last: track.last)
                return track.solve(glide: coarse, vibrato: s).map { (shape: s, fit: $0) }
            }
            if let best = tried.min(by: { $0.fit.rms < $1.fit.rms }) {
                shape = best.shape
                vibratoPart = track.t.indices.map { best.fit.vibrato(at: track.t[$0], best.shape) }
            }
        }
        let glideKnots = simplified(track, minus: vibratoPart)
        guard let final = track.solve(glide: glideKnots, vibrato: shape) else { return nil }
        let glide = Wiggles.removed(Envelope(times: glideKnots, values: final.glide), below: glideTolerance)
        let curve = PitchCurve(glide: glide, vibrato: shape.map { final.polar($0) })
        if curve.vibrato == nil && glide.values.allSatisfy({ abs($0) < steadyCents }) { return nil }
        return curve
    }

    /// Breakpoints of step 1's glide: the first pitched frame, the attack, every 0.25 s, the last.
    static func coarseKnots(_ track: Track) -> [Double] {
        var knots = [track.first] + attackKnots.map { track.first + $0 }
        var t = track.first + coarseSpacing
        while t < track.last { knots.append(t); t += coarseSpacing }
        return (knots.filter { $0 < track.last } + [track.last]).sorted()
    }

    /// The glide's breakpoint times: the Douglas–Peucker points of the track minus the vibrato,
    /// smoothed over 3 frames.
    static func simplified(_ track: Track, minus vibrato: [Double]) -> [Double] {
        let smooth = track.t.indices.map { track.y[$0] - vibrato[$0] }
        var tolerance = glideTolerance
        while true {
            let kept = DouglasPeucker.points(track.t, smooth, tolerance: tolerance)
            if kept.count <= maxGlidePoints { return kept.map { track.t[$0] } }
            tolerance *= 1.5
        }
    }
}
