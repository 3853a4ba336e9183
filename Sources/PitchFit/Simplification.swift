import FMSynthesis

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
