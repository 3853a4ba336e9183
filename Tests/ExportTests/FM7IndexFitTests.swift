import Export
import FMSynthesis
import Foundation
import Testing

/// A norns FM7 modulator fitted to an index envelope (FM7IndexFit): the index it gives is its
/// matrix amount × Env.adsr(A, D, S, R) (levels 0, 1, S, 0; curve −4), gated at note-off.
@Suite struct FM7IndexFitTests {
    /// A fixed index is the amount with the envelope held, as before dynamic FM.
    @Test func aConstantIndexIsHeld() {
        let m = FM7IndexFit.fit(Envelope(times: [0, 1], values: [1.7, 1.7]), amplitude: Envelope(times: [0], values: [0.5]),
                                loudness: Envelope(times: [0], values: [0.5]), gate: 1, duration: 1.5)
        #expect(m.amount == 1.7 && m.envelope == .held)
        #expect(NornsExport.OperatorEnvelope.held == NornsExport.OperatorEnvelope(attack: 0.01, decay: 0, sustain: 1, release: 10))
    }

    /// An index that is an ADSR (3 rad · Env.adsr(0.1, 0.3, 0.5, 0.2), gate at 1 s) comes back:
    /// the fitted modulator gives it within 2 % of its peak at every millisecond while the unit
    /// sounds (measured 0.7 %).
    @Test func anADSRIndexComesBack() {
        let truth = NornsExport.OperatorEnvelope(attack: 0.1, decay: 0.3, sustain: 0.5, release: 0.2)
        let times = stride(from: 0.0, through: 1.5, by: 0.001).map { $0 }
        let wanted = times.map { 3 * FM7Playback.adsr(truth, at: $0, gate: 1) }
        let amplitude = Envelope(times: [0, 1.3, 1.31], values: [0.5, 0.5, 0])
        let m = FM7IndexFit.fit(Envelope(times: times, values: wanted), amplitude: amplitude, loudness: amplitude, gate: 1, duration: 1.5)
        let worst = times.indices.filter { times[$0] <= 1.3 }
            .map { abs(m.amount * FM7Playback.adsr(m.envelope, at: times[$0], gate: 1) - wanted[$0]) }.max()!
        print("fitted \(m): worst \(worst / 3) of the peak")
        #expect(worst <= 0.02 * 3, "\(m): \(worst) rad off")
    }
}
