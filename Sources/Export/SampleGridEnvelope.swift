import FMSynthesis

/// A piecewise-linear envelope moved onto a synth's sample grid, so that a linear-segment
/// envelope generator counting whole samples (Csound's `linseg`, SuperCollider's `EnvGen` with
/// linear segments) plays at every sample n exactly e(n/sr) — the value fmevolve's renderer takes
/// at that sample (linear between breakpoints, held before the first and after the last).
///
/// fmevolve reads sample n at time n/sr (a double). A breakpoint at time t lies after sample k and
/// at or before sample k + 1 (k/sr < t ≤ (k+1)/sr, as those doubles compare); the envelope is
/// linear on either side of it, so points at both samples (with their exact values e(n/sr)) leave
/// no corner strictly between two consecutive points, and linear interpolation between the points
/// is exact at every sample. A breakpoint exactly on sample k + 1 needs only that sample. A step
/// (two breakpoints at one time) also gets sample k + 2: on its sample the value is the one before
/// or after the step (Envelope.value holds the first value at the first breakpoint's time), and
/// three adjacent samples cover both. Breakpoints at t ≤ 0 set the value at sample 0; those past
/// `end` are carried by the point at `end` (the segment that leads there).
package enum SampleGridEnvelope {
    package struct Point: Equatable, Sendable {
        /// Sample index at the synth's rate (0 = the note's start).
        package var sample: Int
        /// e(sample / rate), in the envelope's unit (radians for an index envelope).
        package var value: Double
    }

    /// Points at strictly increasing samples 0 … `end`, the first at 0 and the last at `end`.
    package static func points(_ e: Envelope, sampleRate: Int, end: Int) -> [Point] {
        let sr = Double(sampleRate)
        var samples: Set<Int> = [0, max(end, 1)]
        let steps = Set(zip(e.times, e.times.dropFirst()).filter { $0.0 == $0.1 }.map(\.0))
        for t in e.times where t > 0 && t * sr < Double(end) + 2 {
            var k = Int((t * sr).rounded(.down))
            while k >= 0 && Double(k) / sr >= t { k -= 1 }
            while Double(k + 1) / sr < t { k += 1 }
            guard k < end else { continue }
            samples.insert(k + 1)
            if Double(k + 1) / sr != t || steps.contains(t) { samples.insert(k) }
            if steps.contains(t) { samples.insert(k + 2) }
        }
        samples = samples.filter { $0 >= 0 && $0 <= max(end, 1) }
        return samples.sorted().map { Point(sample: $0, value: e.value(at: Double($0) / sr)) }
    }

    /// Whether the envelope holds one value throughout (a constant index needs no generator).
    package static func isConstant(_ e: Envelope) -> Bool {
        guard let first = e.values.first else { return true }
        return e.values.allSatisfy { $0 == first }
    }
}
