import FMSynthesis

/// Fewer breakpoints for synths: Ramer–Douglas–Peucker on (time, amplitude) with the vertical
/// distance as the measure — every dropped breakpoint lies within `tolerance` of the simplified
/// line. The first and last breakpoints always stay.
enum EnvelopeSimplifier {
    static func simplify(_ e: Envelope, tolerance: Double) -> Envelope {
        let n = e.times.count
        guard n > 2 else { return e }
        var keep = [Bool](repeating: false, count: n)
        keep[0] = true; keep[n - 1] = true
        var stack = [(0, n - 1)]
        while let (a, b) = stack.popLast() {
            guard b > a + 1 else { continue }
            let t0 = e.times[a], t1 = e.times[b], v0 = e.values[a], v1 = e.values[b]
            var worst = -1.0, at = -1
            for i in (a + 1)..<b {
                let w = t1 > t0 ? (e.times[i] - t0) / (t1 - t0) : 0
                let d = abs(e.values[i] - (v0 + w * (v1 - v0)))
                if d > worst { worst = d; at = i }
            }
            if worst > tolerance {
                keep[at] = true
                stack.append((a, at)); stack.append((at, b))
            }
        }
        let idx = (0..<n).filter { keep[$0] }
        return Envelope(times: idx.map { e.times[$0] }, values: idx.map { e.values[$0] })
    }
}
