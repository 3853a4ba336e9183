import FMSynthesis
import Foundation

/// Fitting the DX7's pitch EG (DX7PitchEnvelope: msfa pitchenv.cc) to a glide: a deterministic
/// search over its 4 rates and 4 levels that lowers the RMS difference (cents) between the pitch
/// the EG plays and the glide, block by block through the note, counting the blocks where the note
/// sounds (as fmscore's pitch_err counts its active frames).
extension DX7PitchEnvelope {
    /// The RMS difference (cents) of an EG's pitch from a wanted one over the weighted blocks.
    package struct Cost {
        /// The wanted pitch at each block's centre (cents).
        var target: [Double]
        /// Each block's weight (1 where the note sounds, 0 elsewhere).
        var weight: [Double]
        var noteOff: Double
        var total: Double

        package init(target: [Double], weight: [Double], noteOff: Double) {
            self.target = target; self.weight = weight; self.noteOff = noteOff
            total = max(weight.reduce(0, +), 1e-300)
        }

        /// The wanted glide at the blocks' centres through `duration` s.
        package init(glide: Envelope, weight: [Double], duration: Double, noteOff: Double) {
            let blocks = Self.blocks(duration: duration)
            precondition(weight.count == blocks, "one weight a block")
            self.init(target: (0..<blocks).map { glide.value(at: (Double($0) + 0.5) * DX7Envelope.blockSeconds) },
                      weight: weight, noteOff: noteOff)
        }

        /// The 64-sample blocks (44.1 kHz) that cover `duration` s.
        package static func blocks(duration: Double) -> Int { Int((duration / DX7Envelope.blockSeconds).rounded(.up)) }

        package func callAsFunction(_ g: DX7PitchEnvelope) -> Double {
            let c = g.blockCents(count: target.count, noteOff: noteOff)
            var s = 0.0
            for i in target.indices where weight[i] > 0 { s += weight[i] * (c[i] - target[i]) * (c[i] - target[i]) }
            return (s / total).squareRoot()
        }
    }

    /// The EG nearest a glide (RMS cents over the weighted blocks) and that RMS. The search starts
    /// from EGs drawn through the glide: L4 (where the note starts) at the glide's
    /// start, L3 at its value at key-up, L1 and L2 at its values at two moments between (the
    /// glide's own breakpoints and twelve moments denser early, where scoops and falls are), each
    /// rate the one whose speed crosses its stage in the time the glide takes; R4 from the glide
    /// after key-up. From the best three of those and from the flat EG, a coordinate search over
    /// each rate and level (every value 0–99) and over each stage's level and rate together (±3
    /// each: moving a level changes the time its stage takes), until no move lowers the error; the
    /// best end wins.
    package static func fit(_ glide: Envelope, weight: [Double], duration: Double, noteOff: Double) -> (envelope: DX7PitchEnvelope, rms: Double) {
        let cost = Cost(glide: glide, weight: weight, duration: duration, noteOff: noteOff)
        let starts = drawn(glide, cost: cost, duration: duration, noteOff: noteOff, keep: 3) + [.flat]
        return starts.map { search(from: $0, cost: cost) }.min { $0.rms < $1.rms }!
    }

    /// Coordinate search from `start`: each level and rate over all its values, each stage's level
    /// and rate together (±3 each), two stages' rates together (±2 each), and a corner inserted in
    /// a stage followed by one with nothing to do; at most 12 sweeps.
    static func search(from start: DX7PitchEnvelope, cost: Cost) -> (envelope: DX7PitchEnvelope, rms: Double) {
        var best = start, bestCost = cost(start)
        for _ in 0..<12 {
            var improved = false
            func consider(_ g: DX7PitchEnvelope) {
                guard g != best else { return }
                let c = cost(g)
                if c < bestCost - 1e-12 { best = g; bestCost = c; improved = true }
            }
            for i in 0..<4 {
                for v in 0...99 { var g = best; g.levels[i] = v; consider(g) }
                for v in 0...99 { var g = best; g.rates[i] = v; consider(g) }
            }
            for i in 0..<4 {
                for dl in -3...3 { for dr in -3...3 where dl != 0 && dr != 0 {
                    var g = best
                    g.levels[i] = min(99, max(0, best.levels[i] + dl))
                    g.rates[i] = min(99, max(0, best.rates[i] + dr))
                    consider(g)
                } }
            }
            // two stages' rates together (±2 each): the time the two take kept, shared otherwise
            for i in 0..<2 {
                for d1 in -2...2 { for d2 in -2...2 where d1 != 0 && d2 != 0 {
                    var g = best
                    g.rates[i] = min(99, max(0, best.rates[i] + d1))
                    g.rates[i + 1] = min(99, max(0, best.rates[i + 1] + d2))
                    consider(g)
                } }
            }
            // a corner inserted: stage i stops at a level between its start and end, and the stage
            // after it, which had nothing left to do, goes on from there (rates ±2 each): one rate
            // a stage is a step of 4–8 % in speed, two in a row can share a move between them
            for i in 0..<2 where best.levels[i + 1] == best.levels[i] {
                let from = i == 0 ? best.levels[3] : best.levels[i - 1], to = best.levels[i]
                for v in min(from, to)...max(from, to) where v != from && v != to {
                    for d1 in -2...2 { for d2 in -2...2 {
                        var g = best
                        g.levels[i] = v
                        g.rates[i] = min(99, max(0, best.rates[i] + d1))
                        g.rates[i + 1] = min(99, max(0, best.rates[i] + d2))
                        consider(g)
                    } }
                }
            }
            if !improved { break }
        }
        return (best, bestCost)
    }

    /// The rate whose speed moves `cents` in `seconds` (99 for no time).
    static func rate(cents: Double, seconds: Double) -> Int {
        guard seconds > 0, abs(cents) > 0 else { return 99 }
        let wanted = abs(cents) / seconds
        return (0...99).min { abs(log(speed(rate: $0) / wanted)) < abs(log(speed(rate: $1) / wanted)) }!
    }

    /// The best `keep` (by `cost`) of the EGs drawn through the glide at two moments a ≤ b of the key-down
    /// part: L1 = glide(a), L2 = glide(b), L3 = glide at key-up (reached when the glide settles
    /// there), L4 = glide(0).
    static func drawn(_ glide: Envelope, cost: Cost, duration: Double, noteOff: Double, keep: Int) -> [DX7PitchEnvelope] {
        let end = min(noteOff, duration)
        var marks = glide.times.filter { $0 > 0 && $0 < end }
        if marks.count > 12 { marks = stride(from: 0, to: marks.count, by: Int((Double(marks.count) / 12).rounded(.up))).map { marks[$0] } }
        marks += (1...12).map { end * pow(Double($0) / 12, 2) }
        marks = Array(Set(marks)).sorted()
        let start = glide.value(at: 0), last = glide.value(at: end)
        let l4 = level(cents: start), l3 = level(cents: last)
        // when the glide reaches its key-up value for good (the breakpoint after the last one more
        // than a cent away): the third stage should arrive then
        let away = glide.times.indices.last { glide.times[$0] < end && abs(glide.values[$0] - last) > 1 }
        let settled = away.map { min(end, glide.times.indices.contains($0 + 1) ? glide.times[$0 + 1] : end) } ?? 0
        // after key-up the pitch heads back to L4 at R4: as slowly as the glide's own change then
        let after = glide.value(at: duration) - last
        let r4 = abs(after) < 1 ? 0 : rate(cents: cents(level: l4) - cents(level: l3), seconds: max(duration - end, 0.005))
        var drawn = [(envelope: DX7PitchEnvelope, cost: Double)]()
        for (i, a) in marks.enumerated() { for b in marks[i...] {
            let ga = glide.value(at: a), gb = glide.value(at: b)
            let g = DX7PitchEnvelope(
                rates: [rate(cents: ga - start, seconds: a), rate(cents: gb - ga, seconds: b - a),
                        rate(cents: last - gb, seconds: settled - b), r4],
                levels: [level(cents: ga), level(cents: gb), l3, l4])
            if !drawn.contains(where: { $0.envelope == g }) { drawn.append((g, cost(g))) }
        } }
        return drawn.sorted { $0.cost < $1.cost }.prefix(keep).map(\.envelope)
    }
}
