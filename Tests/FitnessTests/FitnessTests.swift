import Analysis
import AudioIO
import Evolution
import Fitness
import FMSynthesis
import Foundation
import Testing
import TestSupport

@Suite struct FitnessTests {
    static let knownUnits = KnownPatch.units

    static func knownTone() throws -> TargetAnalysis {
        let tone = Tones.patch(f0: 220, units: knownUnits, peaks: KnownPatch.peaks, sampleRate: 44100, seconds: 1.2).samples
        return try TargetAnalysis.analyse(Audio(samples: tone, sampleRate: 44100))
    }

    /// The genome that made a tone fits it almost perfectly (method.md: ≤ 0.004 with sign refits).
    @Test func trueGenomeScoresNearZero() throws {
        let a = try Self.knownTone()
        let ev = FitnessEvaluator(target: FitnessTarget(analysis: a), carriers: 2, maxIndex: 8)
        let err = ev.evaluate(Self.knownUnits)
        #expect(err < 0.004, "err \(err)")
        // and a wrong genome does not
        var wrong = Self.knownUnits
        wrong[1].modulator2 = 5
        #expect(ev.evaluate(wrong) > 0.05)
    }

    static let fitVariants: [FitSettings] = [
        .standard, FitSettings(coldStartInterval: 0), FitSettings(coldStartInterval: 1), FitSettings(negativeStart: false, coldStartInterval: 3),
    ]

    /// The fast kernel agrees with the plain reference implementation on random genomes, for
    /// every way of starting the fit (1e-9 relative: the two sum in different orders).
    @Test(arguments: fitVariants)
    func fastKernelMatchesReference(settings: FitSettings) throws {
        let a = try TargetAnalysis.analyse(try AudioReader.read(path: Paths.target("oboe-C5.wav")))
        let reference = ReferenceFitness(a, settings: settings)
        var rng = Xoshiro256(seed: 7)
        var worst = 0.0
        for carriers in [1, 3, 4] {
            let ev = FitnessEvaluator(target: FitnessTarget(analysis: a), carriers: carriers, maxIndex: 8, settings: settings)
            let ops = Operators(space: SearchSpace(), carriers: carriers)
            for _ in 0..<6 {
                let g = (0..<carriers).map { _ in ops.randomUnit(&rng) }
                let fast = ev.evaluate(g), ref = reference.err(g)
                worst = max(worst, abs(fast - ref) / ref)
            }
        }
        #expect(worst < 1e-9, "largest relative difference \(worst)")
    }

    /// Fewer frames than lanes (padding in the kernel) and runs of unequal length: 5 and 13
    /// frames of random harmonic amplitudes; the per-frame errors and amplitudes agree too.
    @Test(arguments: [5, 13])
    func shortTargetsMatchReference(frames T: Int) throws {
        var rng = Xoshiro256(seed: UInt64(T))
        let K = 20
        let b = (0..<T).map { _ in (0..<K).map { _ in rng.uniform() } }
        let target = FitnessTarget(amplitudes: b.flatMap { $0 }, harmonics: K, rows: Array(0..<T))
        let ops = Operators(space: SearchSpace.standard(harmonics: K), carriers: 2)
        for settings in Self.fitVariants {
            let reference = ReferenceFitness(frames: b, settings: settings)
            let ev = FitnessEvaluator(target: target, carriers: 2, maxIndex: 8, settings: settings)
            for _ in 0..<4 {
                let g = (0..<2).map { _ in ops.randomUnit(&rng) }
                let fast = ev.evaluate(g), ref = reference.err(g)
                #expect(abs(fast - ref) <= 1e-9 * ref, "\(fast) vs \(ref)")
                let (amplitudes, errors) = ev.amplitudes(g)
                let refErrors = reference.frameErrors(g)
                #expect(amplitudes.count == T * 2 && amplitudes.allSatisfy { $0 >= 0 })
                for t in 0..<T { #expect(abs(errors[t] - refErrors[t]) <= 1e-9 * max(refErrors[t], 1e-12)) }
            }
        }
    }

    @Test func abandonsOnlyWhenCertainlyWorse() throws {
        let a = try Self.knownTone()
        let ev = FitnessEvaluator(target: FitnessTarget(analysis: a), carriers: 2, maxIndex: 8)
        var g = Self.knownUnits
        g[0].index1 = 3
        let err = ev.evaluate(g)
        #expect(ev.evaluate(g, bound: err * 0.99) == .infinity)
        #expect(ev.evaluate(g, bound: err * 1.01) == err)
    }

    @Test func sameResultsOnAnyThreadCount() throws {
        let a = try Self.knownTone()
        let target = FitnessTarget(analysis: a)
        let ops = Operators(space: SearchSpace(), carriers: 2)
        var rng = Xoshiro256(seed: 3)
        let genomes = (0..<100).flatMap { _ in (0..<2).map { _ in ops.randomUnit(&rng) } }
        let one = PopulationEvaluator(target: target, carriers: 2, maxIndex: 8, threads: 1).evaluate(genomes)
        let two = PopulationEvaluator(target: target, carriers: 2, maxIndex: 8, threads: 2).evaluate(genomes)
        let five = PopulationEvaluator(target: target, carriers: 2, maxIndex: 8, threads: 5).evaluate(genomes)
        #expect(one == two && two == five)
    }
}

/// Fit settings are stored in checkpoints as JSON.
@Suite struct FitSettingsCodingTests {
    /// A checkpoint written before the warm start has only signRefits (and maybe negativeStart):
    /// its run keeps the fit it was made with, cold starts on every frame.
    @Test func olderSettingsDecodeToColdStartsOnly() throws {
        let old = try JSONDecoder().decode(FitSettings.self, from: Data(#"{"signRefits": 2}"#.utf8))
        #expect(old == FitSettings(signRefits: 2, negativeStart: true, coldStartInterval: 0))
        let current = try JSONDecoder().decode(FitSettings.self, from: JSONEncoder().encode(FitSettings.standard))
        #expect(current == .standard && current.coldStartInterval == 12)
    }

    /// A damaged value is a decoding error, not a crash.
    @Test func negativeValuesAreRefused() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(FitSettings.self, from: Data(#"{"signRefits": 3, "coldStartInterval": -1}"#.utf8))
        }
    }
}
