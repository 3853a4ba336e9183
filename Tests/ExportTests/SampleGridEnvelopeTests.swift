import Export
import FMSynthesis
import Testing

/// SampleGridEnvelope.points: linear interpolation between the points, at every sample n of the
/// synth's rate, gives e(n/sr) — the envelope as fmevolve's renderer reads it (linear between
/// breakpoints, held before the first and after the last) — computed here from the breakpoints by
/// a plain search, not by Envelope.value.
@Suite struct SampleGridEnvelopeTests {
    /// e(t) from the breakpoints: held outside, linear inside; at a repeated time the last value.
    static func reference(_ times: [Double], _ values: [Double], _ t: Double) -> Double {
        if t <= times[0] { return values[0] }
        if t >= times[times.count - 1] { return values[values.count - 1] }
        let i = times.lastIndex { $0 <= t }!                       // times[i] ≤ t < times[i + 1]
        return values[i] + (t - times[i]) / (times[i + 1] - times[i]) * (values[i + 1] - values[i])
    }

    /// The points' linear interpolation at sample n.
    static func interpolated(_ points: [SampleGridEnvelope.Point], _ n: Int) -> Double {
        let i = points.lastIndex { $0.sample <= n }!
        guard i + 1 < points.count else { return points[i].value }
        let a = points[i], b = points[i + 1]
        return a.value + Double(n - a.sample) / Double(b.sample - a.sample) * (b.value - a.value)
    }

    /// Breakpoints on the grid need one point each: 0.1 s and 0.6 s at 44100 Hz are samples 4410
    /// and 26460; the value holds to the end.
    @Test func breakpointsOnTheGridAreTheirOwnSamples() {
        let e = Envelope(times: [0, 0.1, 0.6], values: [0.3, 3, 1.5])
        let p = SampleGridEnvelope.points(e, sampleRate: 44100, end: 66150)
        #expect(p.map(\.sample) == [0, 4410, 26460, 66150], "\(p)")
        #expect(p.map(\.value) == [0.3, 3, 1.5, 1.5], "\(p)")
    }

    /// Random envelopes — times off the grid, before 0, past the end, repeated (steps), rising and
    /// falling values — at several rates: every sample within 1e-12 (rad), samples strictly
    /// increasing from 0 to the end.
    @Test(arguments: [44100, 88200, 48000, 352800])
    func interpolationBetweenThePointsIsTheEnvelopeAtEverySample(sampleRate: Int) throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(sampleRate)
        func uniform() -> Double {                                  // SplitMix64 → [0, 1)
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        let end = 3000, duration = Double(end) / Double(sampleRate)
        for trial in 0..<200 {
            let count = 1 + Int(uniform() * 12)
            var times = (0..<count).map { _ in (uniform() * 1.3 - 0.1) * duration }.sorted()
            if count > 2 && trial % 3 == 0 { times[count / 2] = times[count / 2 - 1] }      // a step
            if trial % 5 == 0 { times = times.map { ($0 * Double(sampleRate)).rounded() / Double(sampleRate) } }
            let values = (0..<count).map { _ in uniform() * 8 }
            let e = Envelope(times: times, values: values)
            let points = SampleGridEnvelope.points(e, sampleRate: sampleRate, end: end)
            try #require(points.first?.sample == 0 && points.last?.sample == end, "trial \(trial): \(points)")
            try #require(zip(points, points.dropFirst()).allSatisfy { $0.sample < $1.sample }, "trial \(trial): \(points)")
            for n in 0...end {
                let want = Self.reference(times, values, Double(n) / Double(sampleRate))
                let got = Self.interpolated(points, n)
                try #require(abs(got - want) <= 1e-12, "trial \(trial), sample \(n): \(got), want \(want); \(times) \(values)")
            }
        }
    }
}
