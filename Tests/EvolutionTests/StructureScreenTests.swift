import Analysis
import Foundation
import AudioIO
import Evolution
import Fitness
import FMSynthesis
import Testing
import TestSupport

/// The structure screen (StructureScreen.swift) on tones of known units.
@Suite struct StructureScreenTests {
    static func analysis(_ units: [FMUnit], peaks: [Double]) throws -> TargetAnalysis {
        let tone = Tones.patch(f0: 440, units: units, peaks: peaks, sampleRate: 44100, seconds: 1).samples
        return try TargetAnalysis.analyse(Audio(samples: tone, sampleRate: 44100))
    }

    static func screen(_ a: TargetAnalysis, carriers: Int, threads: Int = 2, perGroup: Int = 4,
                       space: SearchSpace? = nil) -> StructureScreen {
        let ev = PopulationEvaluator(target: FitnessTarget(analysis: a), carriers: carriers, maxIndex: 8, threads: threads)
        return StructureScreen(evaluator: ev, space: space ?? .standard(harmonics: a.harmonicCount), perGroup: perGroup)
    }

    static func structure(_ u: FMUnit) -> [Int] {
        [Int(u.carrier), Int(u.modulator1), Int(u.modulator2), u.topology == .cascade ? 1 : 0]
    }

    /// A tone of one unit ranks that unit's structure first among every structure of the space —
    /// on the index grid and between its points (the known patch's indices, 0.9 and 1.7 rad, are
    /// not grid points).
    @Test(arguments: [
        FMUnit(carrier: 3, modulator1: 1, modulator2: 4, index1: 1.5, index2: 0.75, topology: .cascade),
        FMUnit(carrier: 2, modulator1: 3, modulator2: 5, index1: 0.75, index2: 2.5, topology: .parallel),
        KnownPatch.units[1],
    ])
    func aSingleUnitToneRanksItsOwnStructureFirst(unit: FMUnit) throws {
        let s = Self.screen(try Self.analysis([unit], peaks: [0.4]), carriers: 1)
        var canonical = [unit]
        canonical.withUnsafeMutableBufferPointer { Operators.canonicalize($0) }
        #expect(Self.structure(s.ranked[0]) == Self.structure(canonical[0]), "ranked first: \(s.ranked[0])")
    }

    /// Every structure of the space appears once: per carrier, M(M+1)/2 parallel pairs (the two
    /// modulators of a parallel unit commute) and M² cascade pairs, M modulator ratios.
    @Test func theDictionaryHoldsEveryStructureOnce() throws {
        let a = try Self.analysis([KnownPatch.units[0]], peaks: [0.4])
        for (topology, perCarrier) in [(TopologyChoice.any, 8 * 9 / 2 + 64), (.parallel, 8 * 9 / 2), (.cascade, 64)] {
            let space = SearchSpace(carrier: 1...5, modulator: 1...8, index: 0...8, topology: topology)
            let s = Self.screen(a, carriers: 1, space: space)
            #expect(s.ranked.count == 5 * perCarrier, "\(topology)")
            #expect(Set(s.ranked.map(Self.structure)).count == s.ranked.count, "\(topology): a structure twice")
            #expect(s.ranked.allSatisfy { u in
                space.carrier.contains(Int(u.carrier)) && space.modulator.contains(Int(u.modulator1))
                    && space.modulator.contains(Int(u.modulator2)) && space.index.contains(u.index1) && space.index.contains(u.index2)
                    && (topology == .any || (u.topology == .cascade) == (topology == .cascade))
                    && (u.topology == .cascade || u.modulator1 <= u.modulator2)
            }, "\(topology): a unit outside the space or not canonical")
        }
    }

    /// The greedy forward selection builds the known 2-unit patch's structure among the initial
    /// population's 16 genomes (its parallel unit ranks 11th alone, its cascade unit 336th: the
    /// selection adds it for what it explains beside the first); every group's genomes are canonical, and the screen is the same for any
    /// thread count (it is recomputed, not stored, when a run resumes).
    @Test func forwardSelectionBuildsTheKnownStructureWhateverTheThreads() throws {
        let a = try Self.analysis(KnownPatch.units, peaks: KnownPatch.peaks)
        let one = Self.screen(a, carriers: 2, threads: 1, perGroup: 16), two = Self.screen(a, carriers: 2, threads: 2, perGroup: 16)
        #expect(one.ranked == two.ranked)
        var known = KnownPatch.units
        known.withUnsafeMutableBufferPointer { Operators.canonicalize($0) }
        for g in 0..<StructureScreen.groups {
            let seeds = one.seeds(group: g)
            #expect(seeds == two.seeds(group: g), "group \(g) differs between 1 and 2 threads")
            #expect(seeds.count == 16 * 2)
            for i in 0..<16 {
                var genome = Array(seeds[(2 * i)..<(2 * i + 2)])
                let stored = genome
                genome.withUnsafeMutableBufferPointer { Operators.canonicalize($0) }
                #expect(genome == stored, "group \(g) genome \(i) is not canonical")
            }
        }
        let first = one.seeds(group: 0)
        let genomes = (0..<16).map { first[(2 * $0)..<(2 * $0 + 2)].map(Self.structure) }
        #expect(genomes.contains(known.map(Self.structure)), "group 0: \(genomes)")
        #expect(one.seeds(group: StructureScreen.groups).isEmpty)
    }
}

@Suite struct EvolutionConfigCodingTests {
    /// Runs stored before the screen existed resume as they ran: without it.
    @Test func runsStoredBeforeTheScreenDecodeWithoutIt() throws {
        let config = EvolutionConfig(carriers: 3)
        #expect(config.screenSeeds == 16)
        var json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as? [String: Any])
        #expect(json.removeValue(forKey: "screenSeeds") != nil)
        let old = try JSONDecoder().decode(EvolutionConfig.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(old.screenSeeds == 0)
        var expected = config
        expected.screenSeeds = 0
        #expect(old == expected)
        #expect(try JSONDecoder().decode(EvolutionConfig.self, from: JSONEncoder().encode(config)) == config)
    }
}

@Suite struct ScreenGroupSizeTests {
    /// A small population keeps random genomes: the screen fills at most half of what a restart draws.
    @Test func smallPopulationsKeepRandomGenomes() {
        #expect(EvolutionConfig(carriers: 3).screenGroupSize == 16)
        for (population, elite, expected) in [(10, 0, 5), (24, 0, 12), (24, 4, 10), (4, 0, 2), (100, 0, 16)] {
            let c = EvolutionConfig(carriers: 2, population: population, restartElite: elite)
            #expect(c.validate().isEmpty && c.screenGroupSize == expected, "population \(population), elite \(elite)")
        }
    }
}
