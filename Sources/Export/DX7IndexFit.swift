import FMSynthesis
import Foundation

/// A modulator operator's envelope generator fitted to its unit's index envelope (dynamic FM):
/// on a DX7 the EG that times a modulator's output level *is* its index envelope.
///
/// The law (msfa env.cc, dx7note.cc, fm_core.cc; formats.md §4): the EG's level, in 1/256
/// doublings, moves towards max(16, 64·⌊scaleoutlevel(L)/2⌋ + 32·scaleoutlevel(OL) − 4256)
/// (DX7Envelope); the operator's output gain·sin, gain = 2^(level/256 − 14) cycles, is added to
/// its carrier's phase, so the index is
///   I(t) = 2π · 2^(level(t)/256 − 14) rad = 4π · A(t),
/// A(t) the amplitude the same EG gives a carrier (DX7Envelope.amplitudes). At EG level 99 it is
/// the static law the export uses for fixed indices, I = 4π · 2^((OL − 99)/8) rad from OL 20 up
/// (DX7Export.index(outputLevel:)). What the EG can express: from silence (index 0) a rise at R1
/// to L1, R2 to L2, R3 to L3, L3 held while the key is down, and after note-off R4 to L4 —
/// which a modulator, unlike a carrier, may keep above 0 (its carrier's release still sounds).
extension DX7Envelope {
    /// The index (rad) this EG gives a modulator at the given times (s).
    package func indices(at times: [Double], noteOff: Double) -> [Double] {
        amplitudes(at: times, noteOff: noteOff).map { 4 * .pi * $0 }
    }

    /// The static mapping of a fixed index: OL = 99 + 8·log2(I/4π) rounded (0 below 0.013 rad),
    /// the EG flat at 99 before and after note-off.
    package static func staticIndex(_ i: Double) -> DX7Envelope {
        DX7Envelope(outputLevel: DX7Export.outputLevel(index: i), rates: [99, 99, 99, 99], levels: [99, 99, 99, 99])
    }

    /// Fits a modulator's output level, L1–L4 and R1–R4 to an index envelope (rad), the key
    /// released at `noteOff` (the carriers' note-off: one key plays every operator).
    ///
    /// The fit is in the index domain: the error is Σ_t w(t)·|I_EG(t) − I(t)| (rad) every 5 ms
    /// through the note, weighted by the unit's share of the sound, w(t) = a(t)/max(L(t), 10⁻³·max L)
    /// with a the unit's amplitude envelope and L the note's loudness (every unit's envelope
    /// summed): an index error changes the unit's harmonics in proportion to a(t), and the
    /// spectral error counts each frame relative to the note's level there. Where the unit is
    /// silent the index does not matter. Starts: the static mapping of the weighted mean index,
    /// the ADSR approximation of the index envelope and the two-line decay through it (as
    /// carriers: DX7Envelope.fit); the lowest end of the coordinate search wins. An index that
    /// does not move gets the static mapping itself, so a static unit exports as before.
    package static func fitIndex(_ index: Envelope, amplitude: Envelope, loudness: Envelope,
                                 duration: Double, noteOff: Double) -> DX7Envelope {
        let values = index.values
        if let lo = values.min(), let hi = values.max(), hi - lo <= 1e-12 * max(hi, 1e-300) { return staticIndex(hi) }
        let times = grid(duration: duration)
        let wanted = times.map { index.value(at: $0) }
        let level = times.map { loudness.value(at: $0) }
        let peak = max(level.max() ?? 0, 1e-9)
        let weight = times.indices.map { amplitude.value(at: times[$0]) / max(level[$0], peak * 1e-3) }
        // in the amplitude domain of the EG (I/4π), so that the carriers' starts and search apply
        let cost = Cost(times: times, target: wanted.map { $0 / (4 * .pi) }, weight: weight, noteOff: noteOff)
        let total = weight.reduce(0, +)
        let mean = total > 0 ? zip(weight, wanted).reduce(0) { $0 + $1.0 * $1.1 } / total : (wanted.max() ?? 0)
        var starts = [staticIndex(mean)]
        let scaled = Envelope(times: index.times, values: values.map { $0 / (4 * .pi) })
        let adsr = adsrStart(scaled, duration: duration)
        starts.append(adsr)
        if let lines = lineStart(cost, from: adsr), lines != adsr { starts.append(lines) }
        return starts.map { search(from: $0, cost: cost, releaseLevel: true) }.min { $0.cost < $1.cost }!.envelope
    }
}
