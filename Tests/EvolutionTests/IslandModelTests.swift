import Analysis
import Evolution
import Fitness
import FMSynthesis
import Testing
import TestSupport

/// The island model (issue 15): one island is the plain algorithm; islands are deterministic
/// whatever the thread count; migration moves copies of each island's best genomes one step
/// round the ring and they replace only worse genomes.
@Suite struct IslandModelTests {
    static func model(_ a: TargetAnalysis, islands: Int, threads: Int, population: Int = 20,
                      every: Int = 5, migrants: Int = 2) -> IslandModel {
        let ga = GeneticAlgorithmTests.ga(a, threads: threads, population: population)
        return IslandModel(ga: ga, policy: MigrationPolicy(islands: islands, every: every, migrants: migrants))
    }

    @Test func oneIslandIsThePlainAlgorithm() throws {
        let a = try GeneticAlgorithmTests.target()
        // two instances: the screen counts its evaluations into the first state a GA makes
        let m = Self.model(a, islands: 1, threads: 2)
        let ga = GeneticAlgorithmTests.ga(a, threads: 2, population: 20)
        var islands = m.initialState(seed: 7)
        var plain = ga.initialState(seed: 7)
        for _ in 0..<12 {
            let si = m.step(&islands), sp = ga.step(&plain)
            #expect(si == sp)
        }
        #expect(islands.islands == [plain] && islands.merged == plain)
    }

    @Test func identicalForAnyThreadCount() throws {
        let a = try GeneticAlgorithmTests.target()
        var states: [IslandState] = []
        for threads in [1, 3] {
            let m = Self.model(a, islands: 3, threads: threads)
            var s = m.initialState(seed: 11)
            for _ in 0..<16 { m.step(&s) }                   // three migrations
            states.append(s)
        }
        #expect(states[0] == states[1])
        #expect(states[0].generation == 16 && states[0].islands.count == 3)
        // the islands are different searches: their own streams and populations
        let rngs = states[0].islands.map { $0.rng.state }
        #expect(Set(rngs.map { $0.description }).count == 3)
        #expect(states[0].islands[0].units != states[0].islands[1].units)
    }

    /// Three hand-made islands of four one-unit genomes (errs chosen by hand): after a migration
    /// each holds the best two of its own and its predecessor's genomes (before that one received
    /// anything), one per structure.
    @Test func migrationGoesRoundTheRingAndReplacesOnlyWorse() throws {
        let a = try GeneticAlgorithmTests.target()
        let config = EvolutionConfig(carriers: 1, population: 4, space: .standard(harmonics: a.harmonicCount))
        let ga = GeneticAlgorithm(config: config, evaluator: PopulationEvaluator(target: FitnessTarget(analysis: a), carriers: 1,
                                                                                maxIndex: 8, threads: 1))
        let model = IslandModel(ga: ga, policy: MigrationPolicy(islands: 3, every: 1, migrants: 2))
        func unit(_ c: Int) -> FMUnit { FMUnit(carrier: c, modulator1: 1, modulator2: 1, index1: 1, index2: 0, topology: .parallel) }
        func island(_ carriers: [Int], _ errs: [Double]) -> EvolutionState {
            EvolutionState(generation: 3, units: carriers.map(unit), fitness: errs, rng: Xoshiro256(seed: 1), evaluations: 0, stall: 0,
                           swept: false, restarts: 0, searchStep: 0.1, championSwept: true, localCursor: 0, hallOfFame: [],
                           hallOfFameFitness: .infinity)
        }
        var s = IslandState(islands: [island([1, 2, 3, 4], [0.10, 0.20, 0.30, 0.40]),
                                      island([5, 6, 7, 8], [0.05, 0.06, 0.50, 0.60]),
                                      island([9, 1, 10, 11], [0.01, 0.02, 0.03, 0.04])])
        model.migrate(&s)
        // island 0 receives island 2's best two (c 9 at 0.01; c 1 at 0.02 beats its own c 1 at 0.10)
        #expect(s.islands[0].units.map(\.carrier) == [9, 1, 2, 3] && s.islands[0].fitness == [0.01, 0.02, 0.20, 0.30])
        // island 1 receives island 0's original best two (0.10, 0.20): only worse genomes go
        #expect(s.islands[1].units.map(\.carrier) == [5, 6, 1, 2] && s.islands[1].fitness == [0.05, 0.06, 0.10, 0.20])
        // island 2 receives island 1's (0.05, 0.06), worse than all of its own: nothing changes
        #expect(s.islands[2].units.map(\.carrier) == [9, 1, 10, 11] && s.islands[2].fitness == [0.01, 0.02, 0.03, 0.04])
        // a new champion is searched afresh; an island whose champion stayed keeps its step
        #expect(s.islands[0].searchStep == 0.25 && !s.islands[0].championSwept)
        #expect(s.islands[1].searchStep == 0.1 && s.islands[1].championSwept)
        // the merged view: every island's genomes, best first
        #expect(s.merged.fitness.prefix(3) == [0.01, 0.01, 0.02] && s.merged.fitness.count == 12)
    }

    @Test func policyTimesAndRing() {
        let p = MigrationPolicy(islands: 4, every: 20, migrants: 2)
        #expect((0..<4).map(p.destination) == [1, 2, 3, 0])
        #expect(!p.migrates(after: 0) && !p.migrates(after: 19) && p.migrates(after: 20) && p.migrates(after: 40))
        #expect(!MigrationPolicy(islands: 1, every: 1).migrates(after: 5))
        #expect(IslandModel.seed(9, island: 0) == 9 && IslandModel.seed(9, island: 1) != IslandModel.seed(9, island: 2))
    }
}
