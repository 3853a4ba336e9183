import Analysis
import AudioIO
import Evolution
import Fitness
import FMSynthesis
import Testing
import TestSupport

@Suite struct GeneticAlgorithmTests {
    static let known = KnownPatch.units

    static func target() throws -> TargetAnalysis {
        let tone = Tones.patch(f0: 440, units: known, peaks: KnownPatch.peaks, sampleRate: 44100, seconds: 1).samples
        return try TargetAnalysis.analyse(Audio(samples: tone, sampleRate: 44100))
    }

    static func ga(_ a: TargetAnalysis, threads: Int, population: Int = 100) -> GeneticAlgorithm {
        let config = EvolutionConfig(carriers: 2, population: population, space: .standard(harmonics: a.harmonicCount))
        let ev = PopulationEvaluator(target: FitnessTarget(analysis: a), carriers: 2, maxIndex: 8, threads: threads)
        return GeneticAlgorithm(config: config, evaluator: ev)
    }

    /// Acceptance (issue 11): a tone rendered from a known 2-carrier double-modulator patch is
    /// matched to err ≤ 0.01 — with the patch's own structure (every ratio and topology) and its
    /// indices within 0.05 rad, not a look-alike — from at least 7 of seeds 1–8 within 300
    /// generations (population 100). Before the structure screen: 3 of 8 within 3000.
    @Test func recoversAKnownPatchFromAlmostAnySeed() throws {
        let a = try Self.target()
        let ga = Self.ga(a, threads: 2)
        #expect(ga.evaluator.primary.evaluate(Self.known) < 0.001)      // the patch itself fits
        var known = Self.known
        known.withUnsafeMutableBufferPointer { Operators.canonicalize($0) }
        var recovered = [UInt64](), missed = [String]()
        for seed in UInt64(1)...8 {
            var s = ga.initialState(seed: seed)
            while s.bestFitness > 0.01 && s.generation < 300 { ga.step(&s) }
            var found = s.champion
            found.withUnsafeMutableBufferPointer { Operators.canonicalize($0) }
            let right = s.bestFitness <= 0.01 && found.count == known.count && zip(found, known).allSatisfy { f, k in
                f.carrier == k.carrier && f.modulator1 == k.modulator1 && f.modulator2 == k.modulator2 && f.topology == k.topology
                    && abs(f.index1 - k.index1) <= 0.05 && abs(f.index2 - k.index2) <= 0.05          // rad
            }
            if right { recovered.append(seed) } else { missed.append("seed \(seed): err \(s.bestFitness) after \(s.generation) generations, \(found)") }
        }
        #expect(recovered.count >= 7, "recovered from seeds \(recovered); \(missed.joined(separator: "; "))")
    }

    /// One seed, one result, whatever the thread count.
    @Test func identicalForAnyThreadCount() throws {
        let a = try Self.target()
        var states = [EvolutionState]()
        for threads in [1, 2, 3] {
            let ga = Self.ga(a, threads: threads, population: 40)
            var s = ga.initialState(seed: 42)
            for _ in 0..<25 { ga.step(&s) }
            states.append(s)
        }
        #expect(states[0] == states[1] && states[1] == states[2])
        #expect(states[0].generation == 25)
    }

    /// A different seed gives a different run (the seed is used).
    @Test func seedMatters() throws {
        let a = try Self.target()
        let ga = Self.ga(a, threads: 2, population: 40)
        var s1 = ga.initialState(seed: 1), s2 = ga.initialState(seed: 2)
        ga.step(&s1); ga.step(&s2)
        #expect(s1.units != s2.units)
    }

    /// The champion never gets worse, and a restart keeps it in the hall of fame.
    @Test func championNeverWorsens() throws {
        let a = try Self.target()
        let config = EvolutionConfig(carriers: 2, population: 30, stallGenerations: 5, restartElite: 0,
                                     space: .standard(harmonics: a.harmonicCount))
        let ga = GeneticAlgorithm(config: config, evaluator: PopulationEvaluator(target: FitnessTarget(analysis: a),
                                                                                carriers: 2, maxIndex: 8, threads: 2))
        var s = ga.initialState(seed: 9)
        var best = s.bestFitness
        // through the first restart (5 stalled generations, a sweep, 5 more) and beyond it
        while s.generation < 400 && (s.restarts == 0 || s.generation < 60) {
            ga.step(&s)
            #expect(s.bestFitness <= best)
            best = s.bestFitness
        }
        #expect(s.restarts > 0)
    }
}
