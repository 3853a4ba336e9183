import FMSynthesis
#if canImport(Glibc)
import Glibc
#endif

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
