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
