import Checkpoint
import Evolution
import FMSynthesis
import Foundation
import Refinement
import Testing
import TestSupport

/// The refinement stage's state survives the file bit for bit, finalists and the best finished
/// one included (what a resumed stage continues from).
@Suite struct RefinementStoreTests {
    static func state(_ phase: RefinementState.Phase, seed: Double) -> RefinementState {
        RefinementState(phase: phase, legs: 3, totalLegs: 7, evaluations: 350, x: (0..<40).map { sin(Double($0) * seed) },
                        knots: IndexKnots(curves: [[0, 4, 9], [0, 9]]), objective: 0.031 + seed, err: 0.029 + seed,
                        staticErr: 0.05)
    }

    @Test(arguments: [0, 1, 2])
    func stageStateRoundTrips(position: Int) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (a, _, settings) = try StoreTests.setup(dir)
        let store = try CheckpointStore(path: dir.path("x.sqlite"), access: .write, create: true)
        let run = try store.beginRun(target: "flute.wav", samplesFingerprint: "f", analysis: a, settings: settings, version: "test")
        let units: [[FMUnit]] = [
            [FMUnit(carrier: 1, modulator1: 2, modulator2: 3, index1: 1.5, index2: 0.25, topology: .cascade)],
            [FMUnit(carrier: 2, modulator1: 1, modulator2: 5, index1: 0.75, index2: 3, topology: .parallel)],
            [FMUnit(carrier: 3, modulator1: 4, modulator2: 1, index1: 2, index2: 1, topology: .parallel)],
        ]
        let s = RefinementStageState(candidates: units, screened: [0.04, 0.03, 0.05], chosen: position == 0 ? 1 : 0,
                                     refinement: Self.state(position == 2 ? .done : .knots, seed: 0.1),
                                     finalists: [1, 0], position: position,
                                     best: position == 0 ? nil : (1, Self.state(.done, seed: 0.2)))
        try store.commitRefinement(run: run, step: 5, state: s, computeSeconds: 1.5)
        let back = try #require(try store.refinement(run: run))
        #expect(back.record.step == 5)
        #expect(back.state == s)
        #expect(back.state.best?.state.x == s.best?.state.x)
        #expect(back.state.done == (position == 2))
    }
}

/// The epoch champions the stage screens are part of the search's state in the file.
@Suite struct EpochChampionsStoreTests {
    @Test func epochChampionsRoundTrip() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (a, ga, settings) = try StoreTests.setup(dir)
        let store = try CheckpointStore(path: dir.path("x.sqlite"), access: .write, create: true)
        let run = try store.beginRun(target: "flute.wav", samplesFingerprint: "f", analysis: a, settings: settings, version: "test")
        var s = ga.initialState(seed: 4)
        s.archiveEpochChampion()
        ga.step(&s)
        s.archiveEpochChampion()
        #expect(s.epochFitness.count >= 1)
        try store.commit(run: run, state: s, stats: nil, computeSeconds: 0.1, previousWrite: 0)
        let back = try store.state(run: run)
        #expect(back == s)
        #expect(back.epochChampions == s.epochChampions && back.epochFitness == s.epochFitness)
    }
}
