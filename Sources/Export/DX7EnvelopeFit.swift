import FMSynthesis
import Foundation

/// Fitting the DX7's envelope generator (DX7Envelope: msfa env.cc) to a wanted curve: a
/// coordinate search over the output level, the levels and the rates, from a few starts, on a
/// weighted absolute error sampled every 5 ms. Carriers fit their amplitude envelope here; a
/// modulator fits its index envelope through the same search (DX7IndexFit).
extension DX7Envelope {
    /// The fit's time grid (s): every 5 ms through the note.
    package static func grid(duration: Double) -> [Double] { stride(from: 0.0, through: duration, by: 0.005).map { $0 } }

    /// Fits output level, L1–L3 and R1–R4 (L4 = 0) to an envelope by coordinate search (also
    /// moving L1–L3 together, which keeps the shape and shifts the loudness, and the output level
    /// against L2 and L3, which moves the peak alone: 2 output levels = 2 EG levels = 1/4
    /// doubling). The search runs from
    /// two starts and keeps the better end: the ADSR approximation, and the best of the key-down
    /// decays drawn as two straight lines in the log domain (from the peak through the envelope's
    /// levels at two later moments, then held) — a decay in two stages, or one deeper than the
    /// ADSR's sounding part, is a local minimum away from the ADSR start. As in the spectral error,
    /// each moment's error counts relative to the whole note's level there — `loudness`, the sum
    /// of all units' envelopes (floored at −60 dB of its peak) — not to this unit's own level,
    /// which would make a tiny overshoot in the first milliseconds cost more than a wrong attack.
    package static func fit(_ e: Envelope, loudness: Envelope, duration: Double, noteOff: Double) -> DX7Envelope {
        let times = grid(duration: duration)
        let target = times.map { e.value(at: $0) }
        let level = times.map { loudness.value(at: $0) }
        let peak = max(level.max() ?? 0, 1e-9)
        // absolute, not squared, relative errors: like the spectral error, whose frames count by
        // their relative error, so the few attack moments a DX7 cannot follow do not outweigh the
        // level of the whole sustain
        let weight = level.map { 1 / max($0, peak * 1e-3) }
        let cost = Cost(times: times, target: target, weight: weight, noteOff: noteOff)
        let adsrStart = adsrStart(e, duration: duration)
        var starts = [adsrStart]
        if let lines = lineStart(cost, from: adsrStart), lines != adsrStart { starts.append(lines) }
        return starts.map { search(from: $0, cost: cost, releaseLevel: false) }.min { $0.cost < $1.cost }!.envelope
    }

    /// The weighted absolute error of an EG's output against a wanted curve on a time grid.
    package struct Cost {
        var times: [Double]
        var target: [Double]
        var weight: [Double]
        var noteOff: Double

        package init(times: [Double], target: [Double], weight: [Double], noteOff: Double) {
            self.times = times; self.target = target; self.weight = weight; self.noteOff = noteOff
        }

        package func callAsFunction(_ g: DX7Envelope) -> Double {
            let a = g.amplitudes(at: times, noteOff: noteOff)
            var s = 0.0
            for i in times.indices { s += weight[i] * abs(a[i] - target[i]) }
            return s
        }
    }

    /// The ADSR approximation of an envelope: attack to the peak (OL), decay to the sustain
    /// level, held, released 40 dB.
    package static func adsrStart(_ e: Envelope, duration: Double) -> DX7Envelope {
        let adsr = ADSR(e, duration: duration)
        let sustain = DX7Export.level(ratio: adsr.sustain)
        return DX7Envelope(outputLevel: DX7Export.carrierLevel(peak: adsr.peak),
                           rates: [DX7Export.rate(forAttack: adsr.attack),
                                   DX7Export.rate(forDecay: adsr.decay, doublings: max(0, -log2(max(adsr.sustain, 1e-6)))),
                                   99, DX7Export.rate(forDecay: adsr.release, doublings: 40 / 6.02)],
                           levels: [99, sustain, max(0, sustain - 1), 0])
    }

    /// The best of the key-down decays drawn as two straight lines in the log domain from the
    /// wanted curve's peak through its levels at two later moments (twelve moments after the
    /// peak, denser early: decays are fastest there), `base`'s attack and release kept.
    package static func lineStart(_ cost: Cost, from base: DX7Envelope) -> DX7Envelope? {
        let times = cost.times, target = cost.target
        let keyDown = times.indices.filter { times[$0] < cost.noteOff }
        guard let iPeak = keyDown.max(by: { target[$0] < target[$1] }), target[iPeak] > 0, let last = keyDown.last else { return nil }
        var marks = [Int]()
        for k in 1...12 {
            let i = iPeak + Int((Double(last - iPeak) * pow(Double(k) / 12, 2)).rounded())
            if i > iPeak && !marks.contains(i) { marks.append(i) }
        }
        // the rate that moves from one amplitude to another in `seconds` (a rise, slowed by
        // (16 − ⌊ℓ⌋) near full scale, is taken as about three times faster than a decay)
        func rate(_ from: Double, _ to: Double, _ seconds: Double) -> Int {
            let d = log2(max(from, 1e-9) / max(to, 1e-9))
            if abs(d) < 1e-3 { return 99 }
            return DX7Export.rate(forDecay: d > 0 ? seconds : 3 * seconds, doublings: abs(d))
        }
        let p = target[iPeak]
        var lines: (DX7Envelope, Double)?
        for a in marks { for b in marks where b >= a {
            let g = DX7Envelope(outputLevel: base.outputLevel,
                                rates: [base.rates[0], rate(p, target[a], times[a] - times[iPeak]),
                                        rate(target[a], target[b], max(times[b] - times[a], 0.005)), base.rates[3]],
                                levels: [99, DX7Export.level(ratio: target[a] / p), DX7Export.level(ratio: target[b] / p), base.levels[3]])
            let c = cost(g)
            if c < lines?.1 ?? .infinity { lines = (g, c) }
        } }
        return lines?.0
    }

    /// Coordinate search from `start`: the output level, L1–L3, R1–R4, L1–L3 together (±1…±8),
    /// the peak alone (OL + 2k against L2, L3 − 2k) and, with `releaseLevel`, L4; each over all
    /// its values, at most 8 sweeps.
    package static func search(from start: DX7Envelope, cost: Cost, releaseLevel: Bool) -> (envelope: DX7Envelope, cost: Double) {
        var best = start, bestCost = cost(start)
        for _ in 0..<8 {
            var improved = false
            for parameter in Array(1..<(releaseLevel ? 11 : 10)) + [0] {
                for v in 0...99 {
                    var g = best
                    switch parameter {
                    case 0: g.outputLevel = v
                    case 1, 2, 3: g.levels[parameter - 1] = v
                    case 8:                                    // L1–L3 together, ±1…±8
                        let d = v - 50
                        guard abs(d) <= 8 else { continue }
                        for i in 0..<3 { g.levels[i] = min(99, max(0, best.levels[i] + d)) }
                    case 9:                                    // the peak alone: OL + 2k, L2 and L3 − 2k
                        let k = v - 50
                        guard abs(k) <= 4, k != 0 else { continue }
                        g.outputLevel = min(99, max(0, best.outputLevel + 2 * k))
                        for i in 1..<3 { g.levels[i] = min(99, max(0, best.levels[i] - 2 * k)) }
                    case 10: g.levels[3] = v
                    default: g.rates[parameter - 4] = v
                    }
                    if g == best { continue }
                    let c = cost(g)
                    if c < bestCost { best = g; bestCost = c; improved = true }
                }
            }
            if !improved { break }
        }
        return (best, bestCost)
    }
}
