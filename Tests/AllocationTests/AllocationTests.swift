import AllocationCounter
import Analysis
import AudioIO
import Evolution
import Fitness
import FMSynthesis
import Testing
import TestSupport

/// The fitness hot path allocates nothing: every buffer is the evaluator's, made at init.
@Suite struct AllocationTests {
    /// The counter sees allocations (so the zero below can fail).
    @Test func counterCounts() {
        fm_allocations_begin()
        let a = [Double](repeating: 1, count: 1000 + Int.random(in: 0...1))
        let n = fm_allocations_end()
        #expect(a.count > 999)
        #expect(n >= 1)
    }

    @Test(arguments: [1, 3, 8])
    func evaluationAllocatesNothing(carriers: Int) throws {
        let a = try TargetAnalysis.analyse(try AudioReader.read(path: Paths.target("trumpet-A4.wav")))
        let evaluator = FitnessEvaluator(target: FitnessTarget(analysis: a), carriers: carriers, maxIndex: 8)
        let ops = Operators(space: .standard(harmonics: a.harmonicCount), carriers: carriers)
        var rng = Xoshiro256(seed: 1)
        let genomes = (0..<(200 * carriers)).map { _ in ops.randomUnit(&rng) }
        var sum = 0.0
        genomes.withUnsafeBufferPointer { g in
            sum += evaluator.evaluate(UnsafeBufferPointer(rebasing: g[0..<carriers]))     // warm-up
            fm_allocations_begin()
            for i in 0..<200 {
                let genome = UnsafeBufferPointer(rebasing: g[(i * carriers)..<((i + 1) * carriers)])
                sum += evaluator.evaluate(genome)
                sum += evaluator.evaluate(genome, bound: 0.01)          // the abandoning path too
            }
            let allocations = fm_allocations_end()
            #expect(allocations == 0, "\(allocations) allocations in 400 evaluations")
        }
        #expect(sum.isFinite == false || sum > 0)
    }

    /// The inharmonic mode's band fitness too, on a struck sound with random grid genomes.
    @Test(arguments: [1, 3, 8])
    func bandEvaluationAllocatesNothing(carriers: Int) throws {
        let audio = try AudioReader.read(path: Paths.shared.appendingPathComponent("targets/inharmonic/cowbell.wav").path)
        let s = BandSpectrum(audio.samples, sampleRate: audio.sampleRate)
        var space = SearchSpace.inharmonic(topRatio: 20)
        space.indexDecay = true                                    // half the units decay
        let evaluator = BandFitnessEvaluator(target: BandFitnessTarget(spectrum: s, f0: 500), carriers: carriers, maxIndex: 8)
        let ops = Operators(space: space, carriers: carriers)
        var rng = Xoshiro256(seed: 1)
        let genomes = (0..<(50 * carriers)).map { _ in ops.randomUnit(&rng) }
        var sum = 0.0
        genomes.withUnsafeBufferPointer { g in
            sum += evaluator.evaluate(UnsafeBufferPointer(rebasing: g[0..<carriers]), bound: .infinity)     // warm-up
            fm_allocations_begin()
            for i in 0..<50 {
                let genome = UnsafeBufferPointer(rebasing: g[(i * carriers)..<((i + 1) * carriers)])
                sum += evaluator.evaluate(genome, bound: .infinity)
                sum += evaluator.evaluate(genome, bound: 0.01)          // the abandoning path too
            }
            let allocations = fm_allocations_end()
            #expect(allocations == 0, "\(allocations) allocations in 100 evaluations")
        }
        #expect(sum.isFinite == false || sum > 0)
    }
}
