import Analysis
import AudioIO
import FMSynthesis
import Refinement
import Testing
import TestSupport

/// The stage always ends with a playable patch, whenever its time runs out, and with two
/// finalists it keeps the better one.
@Suite struct StageConclusionTests {
    static let unit = FMUnit(carrier: 1, modulator1: 2, modulator2: 3, index1: 2, index2: 0.7, topology: .parallel)
    static let analysis: TargetAnalysis = {
        let (samples, _) = Tones.patch(f0: 330, units: [unit], peaks: [0.5], sampleRate: 44100, seconds: 0.25,
                                       attack: 0.02, release: 0.05)
        return try! TargetAnalysis.analyse(Audio(samples: samples, sampleRate: 44100), f0: 330)
    }()
    /// The right structure at wrong indices, and two wrong structures.
    static let candidates: [[FMUnit]] = [
        [FMUnit(carrier: 1, modulator1: 2, modulator2: 3, index1: 1.2, index2: 0.2, topology: .parallel)],
        [FMUnit(carrier: 1, modulator1: 1, modulator2: 1, index1: 1, index2: 0.5, topology: .cascade)],
        [FMUnit(carrier: 2, modulator1: 1, modulator2: 4, index1: 0.5, index2: 0.5, topology: .parallel)],
    ]

    static func stage() -> RefinementStage {
        var settings = RefinementStage.Settings.standard
        settings.candidates = 3
        settings.refinement.freeLegs = 3
        settings.refinement.knotLegs = 2
        return RefinementStage(analysis: analysis, settings: settings, threads: 2)
    }

    @Test func outOfTimeBeforeAnyScreen() throws {
        let stage = Self.stage()
        var s = stage.start(candidates: Self.candidates)
        stage.conclude(&s)
        #expect(s.done)
        #expect(s.candidates.count == 1)
        let result = try #require(stage.result(s))
        #expect(result.units == Self.candidates[0])
        #expect(result.fit.err < result.fit.staticErr)
    }

    @Test func outOfTimeDuringTheSecondFinalist() throws {
        let stage = Self.stage()
        var s = stage.start(candidates: Self.candidates)
        while s.screening || s.position == 0 { stage.step(&s) }
        let first = try #require(s.best)
        stage.step(&s)                                       // one leg of the second finalist
        stage.conclude(&s)
        #expect(s.done && s.finalists.count == 2)
        #expect(s.refinement!.objective <= first.state.objective)
        #expect(s.refinement == s.best!.state && s.chosen == s.best!.candidate)
    }

    @Test func theRightStructureWins() throws {
        let stage = Self.stage()
        var s = stage.start(candidates: Self.candidates)
        while !s.done { stage.step(&s) }
        #expect(s.finalists.count == 2)
        let result = try #require(stage.result(s))
        #expect(result.units == Self.candidates[0], "chosen \(result.units)")
        #expect(result.fit.err < 0.01, "err \(result.fit.err)")
    }
}
