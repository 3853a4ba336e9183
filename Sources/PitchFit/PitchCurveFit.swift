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

/// The vibrato's breakpoints: from its start to the last pitched frame, about one per cycle
/// (the span divided into whole cycles, so that no breakpoint lies beyond the frames that
/// determine it).
struct VibratoShape {
    var rate: Double
    var start: Double
    var knots: [Double]

    init(rate: Double, start: Double, last: Double) {
        self.rate = rate
        self.start = start
        let span = max(last - start, 1 / rate)
        let n = max(1, Int((span * rate).rounded()))
        knots = (0...n).map { start + span * Double($0) / Double(n) }
    }
}

/// The pitched frames: times (s) and cents.
struct Track {
    var t: [Double]
    var y: [Double]
    var first: Double { t[0] }
    var last: Double { t[t.count - 1] }

    /// Least squares of the glide (values at `glide`) and the vibrato's S, C (at its knots
    /// after the first, where both are 0).
    func solve(glide: [Double], vibrato: VibratoShape?) -> Solution? {
        let G = glide.count, V = max(0, (vibrato?.knots.count ?? 1) - 1)
        var ls = LeastSquares(unknowns: G + 2 * V)
        for i in t.indices { ls.add(Self.row(t[i], glide: glide, vibrato: vibrato), y[i]) }
        guard let x = ls.solve() else { return nil }
        var rss = 0.0
        for i in t.indices {
            let r = y[i] - Self.row(t[i], glide: glide, vibrato: vibrato).reduce(0) { $0 + $1.value * x[$1.column] }
            rss += r * r
        }
        return Solution(glide: Array(x[0..<G]), sine: [0] + stride(from: G, to: G + 2 * V, by: 2).map { x[$0] },
                        cosine: [0] + stride(from: G + 1, to: G + 2 * V, by: 2).map { x[$0] },
                        rms: (rss / Double(t.count)).squareRoot())
    }

    static func row(_ t: Double, glide: [Double], vibrato: VibratoShape?) -> [(column: Int, value: Double)] {
        var row = hats(glide, at: t).map { (column: $0.0, value: $0.1) }
        if let v = vibrato, t >= v.start {
            let x = 2 * Double.pi * v.rate * (t - v.start)
            let s = sin(x), c = cos(x)
            for (k, w) in hats(v.knots, at: t) where k > 0 {
                row.append((column: glide.count + 2 * (k - 1), value: w * s))
                row.append((column: glide.count + 2 * (k - 1) + 1, value: w * c))
            }
        }
        return row
    }
}

/// Least-squares values: the glide at its breakpoints, the vibrato's S and C at its knots.
struct Solution {
    var glide: [Double]
    var sine: [Double]
    var cosine: [Double]
    var rms: Double

    func vibrato(at t: Double, _ v: VibratoShape) -> Double {
        guard t >= v.start else { return 0 }
        let x = 2 * Double.pi * v.rate * (t - v.start)
        return hats(v.knots, at: t).reduce(0) { $0 + $1.1 * (sine[$1.0] * sin(x) + cosine[$1.0] * cos(x)) }
    }

    /// S sin x + C cos x = D sin(x + 2πP): depth and phase at every knot, the phase unwrapped
    /// and its depth-weighted mean slope moved into the rate.
    func polar(_ v: VibratoShape) -> Vibrato {
        let depth = zip(sine, cosine).map { ($0 * $0 + $1 * $1).squareRoot() }
        var phase = zip(sine, cosine).map { atan2($1, $0) / (2 * Double.pi) }
        if phase.count > 1 { phase[0] = phase[1] }           // D = 0 there: any phase; take the next one's
        for i in phase.indices.dropFirst() { phase[i] += (phase[i - 1] - phase[i]).rounded() }
        let u = v.knots.map { $0 - v.start }
        let w = depth, sw = w.reduce(0, +)
        var slope = 0.0
        if sw > 0 {
            let mu = zip(w, u).reduce(0) { $0 + $1.0 * $1.1 } / sw, mp = zip(w, phase).reduce(0) { $0 + $1.0 * $1.1 } / sw
            var num = 0.0, den = 0.0
            for i in u.indices { num += w[i] * (u[i] - mu) * (phase[i] - mp); den += w[i] * (u[i] - mu) * (u[i] - mu) }
            slope = den > 0 ? num / den : 0
        }
        return Vibrato(rate: v.rate + slope, depth: Envelope(times: v.knots, values: depth),
                       phase: Envelope(times: v.knots, values: phase.indices.map { phase[$0] - slope * u[$0] }))
    }
}

/// Wiggles smaller than a tolerance, flattened: a breakpoint that is a local extremum by less
/// than it (its smaller step to a neighbour) takes that neighbour's value, and so does a last
/// breakpoint that turns the glide back (against its last step that moved) by less than it — smallest first, until none is
/// left. Every breakpoint moves by less than the tolerance, and a glide that falls with a little
/// noise on it (a drum's quiet tail) never rises.
enum Wiggles {
    static func removed(_ e: Envelope, below tolerance: Double) -> Envelope {
        var v = e.values
        while v.count > 2 {
            var weakest: (index: Int, to: Int, size: Double)?
            for i in 1..<v.count {
                let step = v[i] - v[i - 1]
                var candidate: (Int, Double)?
                if i == v.count - 1 {                               // the last step turns the glide back
                    var previous = 0.0
                    for k in stride(from: i - 1, through: 1, by: -1) where v[k] != v[k - 1] {
                        previous = v[k] - v[k - 1]
                        break
                    }
                    if step * previous < 0 { candidate = (i - 1, abs(step)) }
                } else {
                    let next = v[i + 1] - v[i]
                    if step * next < 0 {                                                    // v[i] is an extremum
                        candidate = abs(step) <= abs(next) ? (i - 1, abs(step)) : (i + 1, abs(next))
                    }
                }
                if let (to, size) = candidate, size < tolerance, size < (weakest?.size ?? .infinity) { weakest = (i, to, size) }
            }
            guard let w = weakest else { break }
            v[w.index] = v[w.to]
        }
        return Envelope(times: e.times, values: v)
    }
}

/// Douglas–Peucker simplification: the indices of the points that keep a polyline within
/// `tolerance` (vertical distance) of every point, first and last included.
enum DouglasPeucker {
    static func points(_ x: [Double], _ y: [Double], tolerance: Double) -> [Int] {
        guard x.count > 2 else { return Array(x.indices) }
        var keep = Set([0, x.count - 1])
        var spans = [(0, x.count - 1)]
        while let (a, b) = spans.popLast() {
            guard b > a + 1 else { continue }
            var worst = a, far = 0.0
            for i in (a + 1)..<b {
                let w = (x[i] - x[a]) / (x[b] - x[a])
                let d = abs(y[i] - (y[a] + w * (y[b] - y[a])))
                if d > far { far = d; worst = i }
            }
            if far > tolerance {
                keep.insert(worst)
                spans.append((a, worst))
                spans.append((worst, b))
            }
        }
        return keep.sorted()
    }
}
