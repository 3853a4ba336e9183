import FMSynthesis
import Foundation

/// A norns FM7 modulator fitted to its unit's index envelope (dynamic FM).
///
/// The FM7 engine offers per operator a fixed amp (0–1), one ADSR (Env.adsr: levels 0, 1, S, 0,
/// curve −4; opAmpA 0.01–10 s, opAmpD 0–2 s, opAmpS 0–1, opAmpR 0.01–10 s) gated by the note, and
/// fixed matrix amounts hzJ_to_hzI (0–2π): the index op J gives op I is
/// hzJ_to_hzI · ampJ · envJ(t) rad (sc3-plugins FM7.cpp, lazzarello/fm7 lib/fm7.lua; formats.md §1).
/// So a modulator (amp 1) plays I(t) = M · adsr(t): the amount M and the four ADSR values are
/// fitted to the index envelope in the index domain, Σ_t w(t)·|M·adsr(t) − I(t)| (rad) every
/// 5 ms, w(t) = a(t)/max(L(t), 10⁻³·max L) — the unit's share of the note's loudness, as the DX7's
/// index fit (DX7IndexFit) — by a coordinate search from two starts: the index held at its
/// weighted mean, and the ADSR approximation of the index envelope (ADSR). Lost: an index that
/// does not start at 0 (an ADSR does), more than one rise or fall while the key is down, the
/// shape of each stage (curve −4, not a param) and any index above 2π.
package enum FM7IndexFit {
    package typealias Modulator = NornsExport.Modulator
    package typealias OperatorEnvelope = NornsExport.OperatorEnvelope

    package static func fit(_ index: Envelope, amplitude: Envelope, loudness: Envelope, gate: Double, duration: Double) -> Modulator {
        let v = index.values
        guard let lo = v.min(), let hi = v.max(), hi - lo > 1e-12 * max(hi, 1e-300) else {
            return Modulator(amount: v.max() ?? 0, envelope: .held)
        }
        let times = stride(from: 0.0, through: duration, by: 0.005).map { $0 }
        let wanted = times.map { index.value(at: $0) }
        let level = times.map { loudness.value(at: $0) }
        let top = max(level.max() ?? 0, 1e-9)
        let weight = times.indices.map { amplitude.value(at: times[$0]) / max(level[$0], top * 1e-3) }
        func cost(_ m: Modulator) -> Double {
            var s = 0.0
            for i in times.indices where weight[i] > 0 {
                s += weight[i] * abs(m.amount * FM7Playback.adsr(m.envelope, at: times[i], gate: gate) - wanted[i])
            }
            return s
        }
        let total = weight.reduce(0, +)
        let mean = total > 0 ? zip(weight, wanted).reduce(0) { $0 + $1.0 * $1.1 } / total : hi
        let a = ADSR(index, duration: duration)
        let starts = [Modulator(amount: min(mean, 2 * .pi), envelope: .held),
                      Modulator(amount: min(a.peak, 2 * .pi),
                                envelope: OperatorEnvelope(attack: max(0.01, a.attack), decay: min(2, a.decay), sustain: a.sustain,
                                                           release: min(10, max(0.01, a.release))))]
        return starts.map { search($0, cost: cost) }.min { $0.cost < $1.cost }!.modulator
    }

    /// Coordinate search: the amount (×0.8…1.25, at most 2π), attack, decay and release
    /// (×0.5…2, and a decay of 0), sustain (±0.01…0.2), each inside its param's range; each sweep
    /// takes the best of all these moves, until none lowers the cost (at most 60 sweeps).
    static func search(_ start: Modulator, cost: (Modulator) -> Double) -> (modulator: Modulator, cost: Double) {
        var best = start, bestCost = cost(start)
        let amounts = [0.8, 0.9, 0.95, 0.98, 1.02, 1.05, 1.1, 1.25]
        let times = [0.5, 0.7, 0.85, 0.95, 1.05, 1.18, 1.4, 2]
        let sustains = [-0.2, -0.1, -0.05, -0.02, -0.01, 0.01, 0.02, 0.05, 0.1, 0.2]
        for _ in 0..<60 {
            let from = best
            var moves = amounts.map { f -> Modulator in var m = from; m.amount = min(2 * .pi, from.amount * f); return m }
            for f in times {
                var a = from; a.envelope.attack = min(10, max(0.01, from.envelope.attack * f))
                var d = from; d.envelope.decay = min(2, from.envelope.decay == 0 ? 0.005 * f : from.envelope.decay * f)
                var r = from; r.envelope.release = min(10, max(0.01, from.envelope.release * f))
                moves += [a, d, r]
            }
            for x in sustains { var m = from; m.envelope.sustain = min(1, max(0, from.envelope.sustain + x)); moves.append(m) }
            var d0 = from; d0.envelope.decay = 0; moves.append(d0)
            for m in moves where m != from {
                let c = cost(m)
                if c < bestCost { best = m; bestCost = c }
            }
            if best == from { break }
        }
        return (best, bestCost)
    }
}
