import Analysis
import AudioIO
import Benchmark
import Evolution
import Fitness
import FMSynthesis
import Foundation

/// The bundled 2 s trumpet note, found from this file's place in the repository.
private let targetPath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("targets/trumpet-A4.wav").path

/// Random 3-carrier genomes for a target of K harmonics (the same every run).
private func randomGenomes(_ count: Int, harmonics K: Int) -> [FMUnit] {
    let ops = Operators(space: .standard(harmonics: K), carriers: 3)
    var rng = Xoshiro256(seed: 2026)
    return (0..<(count * 3)).map { _ in ops.randomUnit(&rng) }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(3))

    let audio = try! AudioReader.read(path: targetPath)
    let analysis = try! TargetAnalysis.analyse(audio)
    let target = FitnessTarget(analysis: analysis)
    let K = analysis.harmonicCount
    let genomes = randomGenomes(1024, harmonics: K)

    // One evaluation per inner iteration: unit spectra, Gram matrix, the fit of every frame.
    // mallocCountTotal must stay 0 (the evaluator's buffers are made before the measurement).
    Benchmark("fitness evaluation, 3 carriers, trumpet-A4 (45 harmonics, 286 frames)",
              configuration: .init(scalingFactor: .kilo)) { benchmark in
        let evaluator = FitnessEvaluator(target: target, carriers: 3, maxIndex: 8)
        var sum = 0.0
        genomes.withUnsafeBufferPointer { g in
            benchmark.startMeasurement()
            for i in benchmark.scaledIterations {
                let j = i % 1024
                sum += evaluator.evaluate(UnsafeBufferPointer(rebasing: g[(j * 3)..<(j * 3 + 3)]))
            }
            benchmark.stopMeasurement()
        }
        blackHole(sum)
    }

    // The spectra alone: three units, parallel and cascade as drawn.
    Benchmark("unit spectra, 3 units, 45 harmonics", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let workspace = SpectrumWorkspace(maxIndex: 8, maxHarmonics: K)
        var out = [Double](repeating: 0, count: K)
        out.withUnsafeMutableBufferPointer { o in
            benchmark.startMeasurement()
            for i in benchmark.scaledIterations {
                let j = i % 1024
                for u in 0..<3 { UnitSpectrum.compute(genomes[j * 3 + u], harmonics: K, into: o, workspace: workspace) }
            }
            benchmark.stopMeasurement()
        }
        blackHole(out)
    }

    // A generation's worth on every core: 256 genomes through the population evaluator.
    Benchmark("population of 256, all cores") { benchmark in
        let evaluator = PopulationEvaluator(target: target, carriers: 3, maxIndex: 8,
                                            threads: ProcessInfo.processInfo.activeProcessorCount)
        var fitness = [Double](repeating: 0, count: 256)
        genomes.withUnsafeBufferPointer { g in
            fitness.withUnsafeMutableBufferPointer { f in
                let population = UnsafeBufferPointer(rebasing: g[0..<(256 * 3)])
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations { evaluator.evaluate(population, into: f) }
                benchmark.stopMeasurement()
            }
        }
        blackHole(fitness)
    }

    // The analysis of the 2 s note: f0, STFT, harmonic tracks.
    Benchmark("analysis of trumpet-A4 (2 s, 44.1 kHz)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try! TargetAnalysis.analyse(audio)) }
    }
}
