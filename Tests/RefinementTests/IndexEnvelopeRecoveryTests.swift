import Analysis
import AudioIO
import FMSynthesis
import Refinement
import Testing
import TestSupport

/// A tone rendered from a known unit whose I1 rises from 0.3 to 3 rad in 0.1 s and falls to
/// 1.5 rad (at 0.5 s): the refinement, started from the unit's structure with a fixed index,
/// must match it with err ≤ 0.005 and recover I1(t) within 0.1 rad RMS over the active frames.
@Suite struct IndexEnvelopeRecoveryTests {
    static let sampleRate = 44100, f0 = 261.63, seconds = 0.8
    static let index1 = Envelope(times: [0, 0.1, 0.5], values: [0.3, 3, 1.5])

    @Test(arguments: [Topology.parallel, .cascade])
    func recoversARisingIndex(topology: Topology) throws {
        let unit = FMUnit(carrier: 1, modulator1: 2, modulator2: 5, index1: 1.5, index2: 0.4, topology: topology)
        let moving = IndexEnvelopes(index1: Self.index1, index2: Envelope(times: [0], values: [0.4]))
        let amplitude = Envelope(times: [0, 0.03, 0.6, 0.8], values: [0, 0.5, 0.35, 0])
        let patch = Patch(f0: Self.f0, units: [unit], envelopes: [amplitude], indexEnvelopes: [moving])
        let samples = PatchRenderer.render(patch, sampleRate: Self.sampleRate, count: Int(Self.seconds * Double(Self.sampleRate)))
        let analysis = try TargetAnalysis.analyse(Audio(samples: samples, sampleRate: Self.sampleRate), f0: Self.f0)

        // the static start: the structure with the index at its mean, as the GA would leave it
        let refiner = Refiner(analysis: analysis, units: [unit], threads: 2)
        var state = refiner.start()
        while refiner.step(&state) {}
        let fit = refiner.result(state)
        #expect(state.staticErr > 0.05, "a fixed index cannot match this tone (static err \(state.staticErr))")
        #expect(fit.err <= 0.005, "err \(fit.err)")

        // I1(t) over the active frames, against the known envelope
        var squares = 0.0, count = 0
        for t in 0..<analysis.frameCount where analysis.active[t] {
            let time = analysis.frameTime(t)
            let d = fit.indexEnvelopes[0].index1.value(at: time) - Self.index1.value(at: time)
            squares += d * d
            count += 1
        }
        let rms = (squares / Double(max(count, 1))).squareRoot()
        #expect(count > 50)
        #expect(rms <= 0.1, "I1 RMS error \(rms) rad over \(count) active frames")
        #expect(fit.indexEnvelopes[0].index1.times.count <= 16, "breakpoints: \(fit.indexEnvelopes[0].index1.times.count)")
    }
}
