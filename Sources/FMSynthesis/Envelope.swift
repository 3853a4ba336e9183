/// A piecewise-linear amplitude envelope: breakpoints (time in s, linear amplitude).
/// Before the first breakpoint it holds the first value, after the last the last value.
public struct Envelope: Sendable, Equatable, Codable {
    public var times: [Double]
    public var values: [Double]

    public init(times: [Double], values: [Double]) {
        precondition(times.count == values.count, "one value per breakpoint")
        self.times = times
        self.values = values
    }

    public var peak: Double { values.max() ?? 0 }

    /// The value at time t (s): linear between breakpoints, held before the first and after the last.
    public func value(at t: Double) -> Double {
        guard let first = values.first else { return 0 }
        if t <= times[0] { return first }
        var lo = 0, hi = times.count - 1
        if t >= times[hi] { return values[hi] }
        while hi - lo > 1 {                         // times[lo] < t < times[hi]
            let mid = (lo + hi) / 2
            if times[mid] <= t { lo = mid } else { hi = mid }
        }
        let w = times[hi] > times[lo] ? (t - times[lo]) / (times[hi] - times[lo]) : 1
        return values[lo] + w * (values[hi] - values[lo])
    }

    /// Samples the envelope at sampleRate for n samples into `out` (linear interpolation).
    public func render(sampleRate: Int, count n: Int) -> [Double] {
        var out = [Double](repeating: 0, count: n)
        guard let first = values.first else { return out }
        let sr = Double(sampleRate)
        var seg = 0
        for i in 0..<n {
            let t = Double(i) / sr
            while seg + 1 < times.count && times[seg + 1] <= t { seg += 1 }
            if t <= times[0] {
                out[i] = first
            } else if seg + 1 >= times.count {
                out[i] = values[values.count - 1]
            } else {
                let t0 = times[seg], t1 = times[seg + 1]
                let w = t1 > t0 ? (t - t0) / (t1 - t0) : 1
                out[i] = values[seg] + w * (values[seg + 1] - values[seg])
            }
        }
        return out
    }
}
