import Analysis
import ArgumentParser
import AudioIO
import Checkpoint
import Evolution
import Fitness
import FMSynthesis
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure fitness evaluations per second (one thread and all cores), analysis and checkpoint time.",
        discussion: """
        Evaluates 4096 random genomes of the target over and over, in five rounds that alternate \
        one thread and every core (--seconds per setting in all), and reports the median rate \
        of each, the median of the rounds' speed-ups, nanoseconds per evaluation, the time to \
        analyse the target (median of 5) and the time to checkpoint one generation of 256 genomes \
        (median of 50 commits, synchronous=FULL). Timings on shared machines are noisy: compare \
        ratios measured in one run.
        """)

    @Option(help: "The recording.")
    var target: String = "targets/trumpet-A4.wav"

    @Option(help: "Carrier units per genome.")
    var carriers: Int = 3

    /// Rounds of alternating measurements.
    static let rounds = 5

    @Option(help: "Seconds of evaluation per thread setting (over all rounds).")
    var seconds: Double = 5

    @Option(help: "Threads for the all-cores measurement (default: every core).")
    var threads: Int?

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(help: ArgumentHelp("Cold starts every N frames of a run (0: cold starts only), as in evolve.", visibility: .hidden))
    var coldStartInterval: Int = FitSettings.standard.coldStartInterval

    func validate() throws {
        if !(1...8).contains(carriers) { throw ValidationError("--carriers must be between 1 and 8") }
        if !(seconds > 0 && seconds <= 600) { throw ValidationError("--seconds must be in (0, 600]") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
        if coldStartInterval < 0 { throw ValidationError("--cold-start-interval must be at least 0") }
    }

    func run() throws {
        let audio = try AudioReader.read(path: target)
        var analysisTimes = [Double]()
        var analysis: TargetAnalysis?
        for _ in 0..<5 {
            let t = ContinuousClock.now
            analysis = try TargetAnalysis.analyse(audio)
            analysisTimes.append((ContinuousClock.now - t).seconds)
        }
        let a = analysis!
        let fitnessTarget = FitnessTarget(analysis: a)
        let space = SearchSpace.standard(harmonics: a.harmonicCount)
        let ops = Operators(space: space, carriers: carriers)
        var rng = Xoshiro256(seed: 2026)
        let count = 4096
        let genomes = (0..<(count * carriers)).map { _ in ops.randomUnit(&rng) }
        let cores = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let fit = FitSettings(coldStartInterval: coldStartInterval)

        func evaluator(threads: Int) -> PopulationEvaluator {
            PopulationEvaluator(target: fitnessTarget, carriers: carriers, maxIndex: space.index.upperBound,
                                threads: threads, settings: fit)
        }
        /// Evaluations per second of `evaluator` over `duration` seconds.
        func rate(_ evaluator: PopulationEvaluator, _ duration: Double) -> Double {
            var fitness = [Double](repeating: 0, count: count)
            var done = 0
            let start = ContinuousClock.now
            var elapsed = 0.0
            genomes.withUnsafeBufferPointer { g in
                fitness.withUnsafeMutableBufferPointer { f in
                    while elapsed < duration {
                        evaluator.evaluate(g, into: f)
                        done += count
                        elapsed = (ContinuousClock.now - start).seconds
                    }
                }
            }
            return Double(done) / elapsed
        }
        // rounds alternate the settings, so that a slow spell of a shared machine hits both
        let single = evaluator(threads: 1), parallel = evaluator(threads: cores)
        var ones = [Double](), alls = [Double]()
        for _ in 0..<Self.rounds {
            ones.append(rate(single, seconds / Double(Self.rounds)))
            alls.append(rate(parallel, seconds / Double(Self.rounds)))
        }
        let one = median(ones), all = median(alls)
        let speedup = median(zip(alls, ones).map { $0 / $1 })
        let checkpoint = try checkpointTime(a)
        let result: [String: Any] = [
            "target": target, "carriers": carriers, "harmonics": a.harmonicCount, "frames": a.activeFrameCount,
            "threads": cores, "evals_per_s_1_thread": one, "evals_per_s_all_cores": all, "speedup": speedup,
            "ns_per_eval_1_thread": 1e9 / one, "ns_per_eval_all_cores": 1e9 / all, "analysis_s": median(analysisTimes),
            "checkpoint_256_s": checkpoint, "seconds_per_setting": seconds, "rounds": Self.rounds,
            "cold_start_interval": coldStartInterval,
        ]
        if json { printJSON(result); return }
        print("target        \(target): \(a.harmonicCount) harmonics, \(a.activeFrameCount) frames, \(carriers) carriers, random genomes")
        print("1 thread      \(Int(one)) evaluations/s (\(Int(1e9 / one)) ns each; median of \(Self.rounds) rounds)")
        print("\(cores) threads     \(Int(all)) evaluations/s (\(Int(1e9 / all)) ns each; speed-up \(fmt(speedup, 2))×, median of the rounds')")
        print("analysis      \(fmt(median(analysisTimes) * 1000, 1)) ms (median of 5)")
        print("checkpoint    \(fmt(checkpoint * 1000, 3)) ms per generation of 256 genomes (median of 50)")
    }

    /// Median time to commit a generation of 256 genomes to a fresh checkpoint.
    private func checkpointTime(_ a: TargetAnalysis) throws -> Double {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fmevolve-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try CheckpointStore(path: dir.appendingPathComponent("bench.sqlite").path, access: .write, create: true,
                                        command: "fmevolve bench")
        let config = EvolutionConfig(carriers: carriers, population: 256, space: .standard(harmonics: a.harmonicCount))
        let run = try store.beginRun(target: target, samplesFingerprint: "bench", analysis: a,
                                     settings: RunSettings(config: config, seed: 1, f0: nil, maxDuration: 0, stop: StopRule()),
                                     version: FMEvolve.version)
        var rng = Xoshiro256(seed: 1)
        let ops = Operators(space: config.space, carriers: carriers)
        var state = EvolutionState(generation: 0, units: (0..<(256 * carriers)).map { _ in ops.randomUnit(&rng) },
                                   fitness: (0..<256).map { Double($0) / 256 }, rng: rng, evaluations: 0, stall: 0, swept: false,
                                   restarts: 0, searchStep: 0.25, championSwept: false, localCursor: 0, hallOfFame: [],
                                   hallOfFameFitness: .infinity)
        var times = [Double]()
        for g in 0..<50 {
            state.generation = g
            times.append(try store.commit(run: run, state: state, stats: nil, computeSeconds: 0, previousWrite: 0))
        }
        return median(times)
    }
}

func median(_ v: [Double]) -> Double {
    let s = v.sorted()
    return s.isEmpty ? 0 : (s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2]))
}
