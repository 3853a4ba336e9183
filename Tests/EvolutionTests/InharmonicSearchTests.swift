import Analysis
import Evolution
import Fitness
import FMSynthesis
import Foundation
import Testing

/// The GA in the inharmonic mode (grid ratios, band fitness) on tones of known units with
/// non-integer ratios: the success rate over seeds.
@Suite struct InharmonicSearchTests {
    static let sr = 44100, f0 = 300.0, seconds = 1.5

    static func spectrum(_ units: [(RealRatioUnit, (Double) -> Double)]) -> BandSpectrum {
        BandSpectrum((0..<Int(seconds * Double(sr))).map { i in
            let t = Double(i) / Double(sr), theta = 2 * Double.pi * f0 * t
            return units.reduce(0) { $0 + $1.1(t) * $1.0.sample(theta: theta) }
        }, sampleRate: sr)
    }

    static func decay(_ t: Double) -> Double { 0.5 * min(1, t / 0.005) * exp(-t) }

    static func ga(_ s: BandSpectrum, carriers: Int, population: Int = 60, threads: Int = 2) -> GeneticAlgorithm {
        let target = BandFitnessTarget(spectrum: s, f0: Self.f0)
        let space = SearchSpace.inharmonic(topRatio: Double(s.sampleRate) / 2 / Self.f0)
        let config = EvolutionConfig(carriers: carriers, population: population, stallGenerations: 30, space: space)
        let maxIndex = space.index.upperBound
        let evaluator = PopulationEvaluator(carriers: carriers, threads: threads) { n in
            BandFitnessEvaluator(target: target, carriers: n, maxIndex: maxIndex)
        }
        let prior = GridPrior(partials: s.strongestPartials().map { ($0.hz / Self.f0, $0.power) }, space: space)
        return GeneticAlgorithm(config: config, evaluator: evaluator, gridPrior: prior)
    }

    /// Whether some unit of `genome` has its carrier within 1 % of `carrier`, and the indices of
    /// its modulators within 1 % of `modulator` sum to `index` ± 10 % (a parallel unit with
    /// m1 = m2 is one modulator of index I1 + I2).
    static func contains(_ genome: [FMUnit], carrier: Double, modulator: Double, index: Double) -> Bool {
        genome.map(RatioGrid.fine.real).contains { u in
            guard abs(u.carrier - carrier) <= 0.01 * carrier else { return false }
            var sum = 0.0
            if abs(u.modulator1 - modulator) <= 0.01 * modulator { sum += u.index1 }
            if u.topology == .parallel && abs(u.modulator2 - modulator) <= 0.01 * modulator { sum += u.index2 }
            return abs(sum - index) <= 0.1 * index
        }
    }

    /// One unit c = 1, m = 1.4, I = 2 (a bell's ratio; its strongest partials are the sidebands
    /// at 0.4 and 2.4, not the carrier), two carriers to find it with: recovered — band err ≤ 0.03
    /// with a unit at c = 1 ± 1 %, m = 1.4 ± 1 %, I = 2 ± 10 % — from at least 7 of seeds 1–8
    /// within 200 generations (population 60).
    @Test func recoversABellUnit() {
        let bell = RealRatioUnit(carrier: 1, modulator1: 1.4, modulator2: 1, index1: 2, index2: 0, topology: .parallel)
        let ga = Self.ga(Self.spectrum([(bell, Self.decay)]), carriers: 2)
        var recovered: [UInt64] = [], missed: [String] = []
        for seed in UInt64(1)...8 {
            var s = ga.initialState(seed: seed)
            while !(s.bestFitness <= 0.03 && Self.contains(s.champion, carrier: 1, modulator: 1.4, index: 2)) && s.generation < 200 {
                ga.step(&s)
            }
            if s.generation < 200 || Self.contains(s.champion, carrier: 1, modulator: 1.4, index: 2) && s.bestFitness <= 0.03 {
                recovered.append(seed)
            } else {
                missed.append("seed \(seed): err \(s.bestFitness), \(s.champion.map(RatioGrid.fine.real))")
            }
        }
        #expect(recovered.count >= 7, "recovered from seeds \(recovered); \(missed.joined(separator: "; "))")
    }

    /// A two-unit metallic tone (c = 1.5, m = 2.76, I = 1.2, decaying, with the bell unit
    /// swelling): both units recovered (ratios within 1 %, indices within 10 %) with band err
    /// ≤ 0.03 from at least 7 of seeds 1–8 within 300 generations.
    @Test func recoversTwoMetallicUnits() {
        let bell = RealRatioUnit(carrier: 1, modulator1: 1.4, modulator2: 1, index1: 2, index2: 0, topology: .parallel)
        let metal = RealRatioUnit(carrier: 1.5, modulator1: 2.76, modulator2: 1, index1: 1.2, index2: 0, topology: .parallel)
        let swell: (Double) -> Double = { 0.3 * sin(Double.pi * min($0 / Self.seconds, 1)) }
        let ga = Self.ga(Self.spectrum([(metal, Self.decay), (bell, swell)]), carriers: 2)
        func found(_ s: EvolutionState) -> Bool {
            s.bestFitness <= 0.03 && Self.contains(s.champion, carrier: 1, modulator: 1.4, index: 2)
                && Self.contains(s.champion, carrier: 1.5, modulator: 2.76, index: 1.2)
        }
        var recovered: [UInt64] = [], missed: [String] = []
        for seed in UInt64(1)...8 {
            var s = ga.initialState(seed: seed)
            while !found(s) && s.generation < 300 { ga.step(&s) }
            if found(s) { recovered.append(seed) } else { missed.append("seed \(seed): err \(s.bestFitness), \(s.champion.map(RatioGrid.fine.real))") }
        }
        #expect(recovered.count >= 7, "recovered from seeds \(recovered); \(missed.joined(separator: "; "))")
    }
}
