import Evolution
import FMSynthesis
import Testing

/// Every epoch's champion is kept for the refinement stage: one per structure, best first, at most
/// `epochArchiveSize`, and the stage's candidates come from them as well as from the last epoch.
@Suite struct EpochChampionsTests {
    static func unit(_ c: Int, _ m: Int, _ i: Double) -> FMUnit {
        FMUnit(carrier: c, modulator1: m, modulator2: 1, index1: i, index2: 0.5, topology: .parallel)
    }

    /// A state whose population is one genome (structure `c`, index `i`) of err `err`.
    static func state(_ c: Int, _ i: Double, err: Double, archive: EvolutionState? = nil) -> EvolutionState {
        EvolutionState(generation: 1, units: [unit(c, 2, i)], fitness: [err], rng: Xoshiro256(seed: 1), evaluations: 0,
                       stall: 0, swept: false, restarts: 0, searchStep: 0.25, championSwept: false, localCursor: 0,
                       hallOfFame: [], hallOfFameFitness: .infinity, epochChampions: archive?.epochChampions ?? [],
                       epochFitness: archive?.epochFitness ?? [])
    }

    @Test func keepsTheBestOfEachStructureBestFirst() {
        var s = Self.state(1, 1.0, err: 0.30)
        s.archiveEpochChampion()
        for (c, i, err) in [(2, 1.0, 0.10), (1, 2.0, 0.20), (3, 1.0, 0.40), (2, 3.0, 0.15)] {
            var next = Self.state(c, i, err: err, archive: s)
            next.archiveEpochChampion()
            s = next
        }
        // structure 1 improved 0.30 → 0.20; structure 2 kept 0.10 (0.15 is worse)
        #expect(s.epochFitness == [0.10, 0.20, 0.40])
        #expect(s.epochChampions.map(\.carrier) == [2, 1, 3])
        #expect(s.epochChampions.map(\.index1) == [1.0, 2.0, 1.0])
    }

    @Test func isBounded() {
        var s = Self.state(1, 1, err: 1)
        for k in 0..<(EvolutionState.epochArchiveSize + 10) {
            var next = Self.state(1 + k % 16, 1, err: 1 - Double(k) / 100, archive: s)
            next.units = [Self.unit(1 + k % 16, 1 + k / 16, 1)]
            next.archiveEpochChampion()
            s = next
        }
        #expect(s.epochFitness.count == EvolutionState.epochArchiveSize)
        #expect(s.epochFitness == s.epochFitness.sorted())
    }

    @Test func theStageSeesEarlierEpochs() {
        var s = Self.state(2, 1, err: 0.10)
        s.archiveEpochChampion()
        var later = Self.state(5, 1, err: 0.30, archive: s)
        later.hallOfFame = [Self.unit(2, 2, 1)]
        later.hallOfFameFitness = 0.10
        var earlier = Self.state(4, 1, err: 0.12, archive: later)
        earlier.archiveEpochChampion()
        later.epochChampions = earlier.epochChampions
        later.epochFitness = earlier.epochFitness
        // the hall of fame and the archive hold structure 2 (0.10) and the archive structure 4 (0.12)
        #expect(later.distinctStructures(limit: 6).map { $0[0].carrier } == [2, 4, 5])
    }
}
