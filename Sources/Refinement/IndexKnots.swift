/// Where each index curve has its breakpoints: for unit j, curve 2j is I1 and 2j + 1 is I2, each
/// a sorted list of span frames that always holds the first and the last. The index at a frame
/// is linear between the curve's knots (the patch's piecewise-linear index envelope sampled at
/// the frame centres). With a knot at every frame the curves are free frame by frame.
public struct IndexKnots: Sendable, Equatable {
    public var curves: [[Int]]

    public init(curves: [[Int]]) { self.curves = curves }

    /// A knot at every one of `frames` frames, for `units` units.
    public static func everyFrame(units: Int, frames: Int) -> IndexKnots {
        IndexKnots(curves: Array(repeating: Array(0..<frames), count: 2 * units))
    }

    /// Total knot values (the index part of the variables).
    public var count: Int { curves.reduce(0) { $0 + $1.count } }

    /// Offset of each curve's knot values in the index part.
    public var offsets: [Int] {
        var o = [Int](), sum = 0
        for c in curves { o.append(sum); sum += c.count }
        return o
    }

    /// Per-frame values of curve c from its knot values v (one per knot): linear between knots.
    public func interpolate(curve c: Int, knotValues v: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, frames F: Int) {
        let knots = curves[c]
        if knots.count == 1 { for t in 0..<F { out[t] = v[0] }; return }
        for s in 0..<(knots.count - 1) {
            let t0 = knots[s], t1 = knots[s + 1]
            for t in t0...t1 {
                let w = Double(t - t0) / Double(t1 - t0)
                out[t] = v[s] + w * (v[s + 1] - v[s])
            }
        }
    }

    /// The chain rule of `interpolate`: knot gradient g_s = Σ_t (∂I_t/∂v_s) · perFrame_t.
    public func accumulate(curve c: Int, perFrame: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>) {
        let knots = curves[c]
        for s in 0..<knots.count { g[s] = 0 }
        if knots.count == 1 { for t in 0...knots[0] { g[0] += perFrame[t] }; return }
        for s in 0..<(knots.count - 1) {
            let t0 = knots[s], t1 = knots[s + 1]
            for t in t0..<t1 {
                let w = Double(t - t0) / Double(t1 - t0)
                g[s] += (1 - w) * perFrame[t]
                g[s + 1] += w * perFrame[t]
            }
        }
        g[knots.count - 1] += perFrame[knots[knots.count - 1]]
    }

    /// Fewer knots for free per-frame curves: Ramer–Douglas–Peucker on (frame, value) with the
    /// vertical distance, so that every dropped frame lies within `tolerance` (rad) of the
    /// simplified line; the first and last frames stay.
    public static func simplify(_ values: [Double], tolerance: Double) -> [Int] {
        let n = values.count
        guard n > 2 else { return Array(0..<n) }
        var keep = [Bool](repeating: false, count: n)
        keep[0] = true; keep[n - 1] = true
        var stack = [(0, n - 1)]
        while let (a, b) = stack.popLast() {
            guard b > a + 1 else { continue }
            var worst = -1.0, at = -1
            for i in (a + 1)..<b {
                let w = Double(i - a) / Double(b - a)
                let d = abs(values[i] - (values[a] + w * (values[b] - values[a])))
                if d > worst { worst = d; at = i }
            }
            if worst > tolerance {
                keep[at] = true
                stack.append((a, at)); stack.append((at, b))
            }
        }
        return (0..<n).filter { keep[$0] }
    }
}
