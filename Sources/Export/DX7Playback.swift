import FMSynthesis
import Foundation

/// What a DX7 voice plays, in fmevolve's terms: its units (one per carrier that sounds) with the
/// carriers' amplitudes and the modulators' indices as Dexed's envelope generators move them
/// (DX7Envelope.amplitudes, msfa env.cc). A modulator's output, added to its carrier's phase, is
/// gain·sin with gain 2^(level/256 − 14) cycles (msfa dx7note.cc, fm_core.cc; formats.md §4),
/// level the EG's current level in 1/256 doublings — so its index is
///   I(t) = 2π · 2^(level(t)/256 − 14) rad = 4π · A(t),
/// A(t) = 2^(level(t)/256 − 15) being what the same EG gives a carrier (1.0 at OL 99, L 99):
/// one law for both, and 4π rad at OL 99 and EG level 99. Its pitch is the pitch EG plus the
/// LFO's pitch modulation (DX7Pitch.curve: msfa pitchenv.cc, lfo.cc, dx7note.cc), whose
/// vibrato's phase runs from key-on (key sync), not from the exported vibrato's onset.
package enum DX7Playback {
    /// A unit's operators (0-based: 0 = OP1) in an algorithm: the carrier and one or two
    /// modulators (the second modulating the first in a cascade).
    package struct Slot: Equatable {
        package var carrier: Int
        package var modulators: [Int]
        package var topology: Topology
    }

    /// The slots of the algorithms the export writes: 10 (OP3→OP2→OP1, OP5+OP6→OP4),
    /// 3 (OP3→OP2→OP1, OP6→OP5→OP4), 5 (OP2→OP1, OP4→OP3, OP6→OP5).
    package static func slots(algorithm: Int) -> [Slot] {
        switch algorithm {
        case 10: return [Slot(carrier: 0, modulators: [1, 2], topology: .cascade), Slot(carrier: 3, modulators: [4, 5], topology: .parallel)]
        case 3: return [Slot(carrier: 0, modulators: [1, 2], topology: .cascade), Slot(carrier: 3, modulators: [4, 5], topology: .cascade)]
        case 5: return [0, 2, 4].map { Slot(carrier: $0, modulators: [$0 + 1], topology: .cascade) }
        default: preconditionFailure("algorithm \(algorithm) is not written by the export")
        }
    }

    /// The index (rad) a modulator plays at EG level 99: 4π · 2^((OL − 99)/8) from OL 20 up.
    package static func fullScale(_ op: DX7Export.Operator) -> Double { DX7Export.index(outputLevel: op.outputLevel) }

    package static func envelope(_ op: DX7Export.Operator) -> DX7Envelope {
        DX7Envelope(outputLevel: op.outputLevel, rates: op.rates, levels: op.levels)
    }

    /// The units that sound (carrier output level > 0), with their slots; a unit's indices are
    /// its modulators' full scale (the index at EG level 99), 0 for an absent modulator.
    package static func units(_ v: DX7Export.Voice) -> [(slot: Slot, unit: FMUnit)] {
        slots(algorithm: v.algorithm).compactMap { s in
            let ops = v.operators
            guard ops[s.carrier].outputLevel > 0 else { return nil }
            let m = s.modulators.map { ops[$0] }
            let u = FMUnit(carrier: ops[s.carrier].coarse, modulator1: m[0].coarse, modulator2: m.count > 1 ? m[1].coarse : 1,
                           index1: fullScale(m[0]), index2: m.count > 1 ? fullScale(m[1]) : 0, topology: s.topology)
            return (s, u)
        }
    }

    /// Whether an operator's EG holds it at one level from the first block to the end of the
    /// note (levels all 99, R1 99): then its index is its full scale, a static one.
    package static func isFlat(_ op: DX7Export.Operator) -> Bool {
        op.levels == [99, 99, 99, 99] && op.rates[0] == 99
    }

    /// The voice as an fmevolve patch at fundamental `f0`: every unit's carrier amplitude and
    /// moving indices sampled at the EG's blocks (64 samples at 44.1 kHz, linear between, as msfa
    /// interpolates the gain across a block), the key released at the voice's note-off. A
    /// modulator whose EG is flat keeps its static index (the EG's first block, a rise from
    /// −50 dB at rate 99, lasts 1.45 ms). The pitch: DX7Pitch.curve (nil when the voice holds
    /// its note's pitch).
    package static func patch(_ v: DX7Export.Voice, f0: Double, duration: Double) -> Patch {
        let blocks = Int(duration / DX7Envelope.blockSeconds) + 2
        let times = (0..<blocks).map { Double($0) * DX7Envelope.blockSeconds }
        var played = [FMUnit](), envelopes = [Envelope](), moving = [IndexEnvelopes?]()
        for (slot, u) in units(v) {
            played.append(u)
            envelopes.append(Envelope(times: times, values: envelope(v.operators[slot.carrier]).amplitudes(at: times, noteOff: v.noteOff)))
            let mods = slot.modulators.map { v.operators[$0] }
            if mods.allSatisfy(isFlat) {
                moving.append(nil)
                continue
            }
            func index(_ k: Int) -> Envelope {
                guard k < mods.count else { return Envelope(times: [0], values: [0]) }
                if isFlat(mods[k]) { return Envelope(times: [0], values: [fullScale(mods[k])]) }
                return Envelope(times: times, values: envelope(mods[k]).amplitudes(at: times, noteOff: v.noteOff).map { 4 * .pi * $0 })
            }
            moving.append(IndexEnvelopes(index1: index(0), index2: index(1)))
        }
        return Patch(f0: f0, units: played, envelopes: envelopes, indexEnvelopes: moving,
                     pitch: v.pitch.curve(duration: duration, noteOff: v.noteOff))
    }
}
