import Analysis
import Archipelago
import Checkpoint
import Evolution
import Fitness
import Foundation
import MessagePassing

/// How a run ended.
struct Outcome {
    enum Reason: String {
        case generations, timeLimit = "time limit", targetError = "target error", interrupted
        /// Resumed in the refinement stage: the search had stopped in an earlier session.
        case earlierSession = "an earlier session"
    }
    var reason: Reason
    /// Search time of this session (s).
    var seconds: Double
    var evaluationsPerSecond: Double
}

/// The generation loop around the GA: stop rules, timing, progress, a checkpoint per generation.
/// Under mpirun (`communicator`), the islands are spread over the ranks and rank 0's stop
/// decision is every rank's.
struct RunLoop {
    let runner: IslandRunner
    var model: IslandModel { runner.model }

    /// `bands`: the recording's band spectrum, which the inharmonic mode (a ratio grid in the
    /// config's space) matches, with the ratios multiplying the analysis's f0.
    init(analysis: TargetAnalysis, bands: BandSpectrum, config: EvolutionConfig, migration: MigrationPolicy, threads: Int,
         communicator: Communicator? = nil) {
        let ga: GeneticAlgorithm
        if let grid = config.space.ratioGrid {
            let target = BandFitnessTarget(spectrum: bands, f0: analysis.f0, grid: grid)
            let maxIndex = config.space.index.upperBound
            let evaluator = PopulationEvaluator(carriers: config.carriers, threads: threads) { n in
                BandFitnessEvaluator(target: target, carriers: n, maxIndex: maxIndex)
            }
            let prior = GridPrior(partials: bands.strongestPartials().map { ($0.hz / analysis.f0, $0.power) }, space: config.space)
            ga = GeneticAlgorithm(config: config, evaluator: evaluator, gridPrior: prior)
        } else {
            let target = FitnessTarget(analysis: analysis)
            let evaluator = PopulationEvaluator(target: target, carriers: config.carriers,
                                                maxIndex: config.space.index.upperBound, threads: threads, settings: config.fit)
            ga = GeneticAlgorithm(config: config, evaluator: evaluator,
                                  carrierPrior: Self.carrierPrior(analysis, config.space.carrier))
        }
        let model = IslandModel(ga: ga, policy: migration)
        runner = communicator.map { DistributedIslands(model, communicator: $0) } ?? LocalIslands(model)
    }

    /// Mean energy of each harmonic in the carrier range over the active frames, plus a floor of
    /// 1 % of the mean so that no ratio is impossible.
    static func carrierPrior(_ a: TargetAnalysis, _ range: ClosedRange<Int>) -> [Double] {
        let K = a.harmonicCount
        var energy = [Double](repeating: 0, count: range.count)
        for t in 0..<a.frameCount where a.active[t] {
            for (i, c) in range.enumerated() where c <= K {
                let v = a.amplitudes[t * K + c - 1]
                energy[i] += v * v
            }
        }
        let mean = energy.reduce(0, +) / Double(max(energy.count, 1))
        return energy.map { $0 + 0.01 * mean + 1e-300 }
    }

    /// Runs generations until the stop rule (generations and error are totals for the run,
    /// seconds are for this session) or an interrupt; `commit` is called after every generation
    /// with the generation's search time and returns the time the commit took.
    func evolve(_ state: inout IslandState, stop: StopRule, progress: Progress,
                commit: (IslandState, GenerationStats, Double) throws -> Double) throws -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        let startEvaluations = state.evaluations
        let startGeneration = state.generation
        func elapsed() -> Double { (clock.now - start).seconds }
        func rate() -> Double { Double(state.evaluations - startEvaluations) / max(elapsed(), 1e-9) }
        var reason = Outcome.Reason.generations
        while true {
            var stopping: Outcome.Reason?
            if Interrupt.shared.requested { stopping = .interrupted }
            else if let e = stop.error, state.bestFitness <= e { stopping = .targetError }
            else if let g = stop.generations, state.generation >= g { stopping = .generations }
            else if let s = stop.seconds, elapsed() >= s { stopping = .timeLimit }
            if try runner.agree(stop: stopping != nil) { reason = stopping ?? .generations; break }
            let before = clock.now
            let stats = try runner.step(&state)
            let compute = (clock.now - before).seconds
            _ = try commit(state, stats, compute)
            let t = elapsed()
            var remaining: Double?
            if let s = stop.seconds { remaining = s - t }
            if let g = stop.generations {
                let done = state.generation - startGeneration
                remaining = min(remaining ?? .infinity, Double(g - state.generation) * t / Double(max(done, 1)))
            }
            progress.generation(stats, elapsed: t, evalsPerSecond: rate(), remaining: remaining)
        }
        progress.finishLine()
        return Outcome(reason: reason, seconds: elapsed(), evaluationsPerSecond: rate())
    }
}
