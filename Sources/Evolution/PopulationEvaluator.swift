import Dispatch
import Fitness
import FMSynthesis
import Synchronization

/// Evaluates many genomes at once on every core with `DispatchQueue.concurrentPerform`.
///
/// Each worker owns one scorer (a FitnessEvaluator, or a BandFitnessEvaluator in the inharmonic
/// mode: its scratch buffers) and takes chunks of 8 genomes
/// from a shared atomic counter, so cores stay busy however uneven the genomes' costs are, and a
/// worker writes whole cache lines of the result (8 doubles = 64 bytes: no false sharing). A
/// genome's fitness depends only on the genome, never on the worker or the order, so the results
/// are bit-identical for any thread count.
public final class PopulationEvaluator: @unchecked Sendable {
    public let threads: Int
    public let carriers: Int
    /// The harmonic target (nil for other scorers): the structure screen builds on it.
    public let target: FitnessTarget?
    private let evaluators: [any GenomeScorer]
    /// How the scorers were made, for evaluators of other carrier counts (nil: harmonic).
    private let makeScorer: (@Sendable (Int) -> any GenomeScorer)?
    static let chunk = 8

    public init(target: FitnessTarget, carriers: Int, maxIndex: Double, threads: Int,
                settings: FitSettings = .standard) {
        precondition(threads >= 1)
        self.threads = threads
        self.carriers = carriers
        self.target = target
        evaluators = (0..<threads).map { _ in
            FitnessEvaluator(target: target, carriers: carriers, maxIndex: maxIndex, settings: settings)
        }
        makeScorer = nil
    }

    /// One scorer per thread, made by `scorer` for a number of carriers (e.g. BandFitnessEvaluator).
    public init(carriers: Int, threads: Int, scorer: @escaping @Sendable (Int) -> any GenomeScorer) {
        precondition(threads >= 1)
        self.threads = threads
        self.carriers = carriers
        target = nil
        evaluators = (0..<threads).map { _ in scorer(carriers) }
        makeScorer = scorer
    }

    /// The same fitness for genomes of `n` units (the structure screen's smaller genomes).
    public func withCarriers(_ n: Int, maxIndex: Double) -> PopulationEvaluator {
        if n == carriers { return self }
        if let makeScorer { return PopulationEvaluator(carriers: n, threads: threads, scorer: makeScorer) }
        return PopulationEvaluator(target: target!, carriers: n, maxIndex: maxIndex, threads: threads)
    }

    /// fitness[i] = err of genome i (units i·N ..< (i+1)·N). With a finite `bound`, a genome whose
    /// error is certain to exceed it gets +∞ without being evaluated to the end.
    public func evaluate(_ genomes: UnsafeBufferPointer<FMUnit>, into fitness: UnsafeMutableBufferPointer<Double>,
                         bound: Double = .infinity) {
        let n = carriers
        let count = genomes.count / n
        precondition(fitness.count >= count)
        if count == 0 { return }
        let work = Work(genomes: genomes, fitness: fitness, carriers: n, count: count, bound: bound)
        let workers = min(threads, (count + Self.chunk - 1) / Self.chunk)
        if workers <= 1 {
            work.run(evaluators[0])
            return
        }
        let evaluators = self.evaluators
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            work.run(evaluators[w])
        }
    }

    /// Convenience for arrays.
    public func evaluate(_ genomes: [FMUnit], bound: Double = .infinity) -> [Double] {
        var out = [Double](repeating: 0, count: genomes.count / carriers)
        genomes.withUnsafeBufferPointer { g in
            out.withUnsafeMutableBufferPointer { evaluate(g, into: $0, bound: bound) }
        }
        return out
    }

    /// The first worker's scorer, for single evaluations outside the parallel section.
    public var primary: any GenomeScorer { evaluators[0] }
}

/// One batch: the shared counter and the buffers the workers read and write.
private final class Work: @unchecked Sendable {
    let genomes: UnsafeBufferPointer<FMUnit>
    let fitness: UnsafeMutableBufferPointer<Double>
    let carriers: Int
    let count: Int
    let bound: Double
    let next = Atomic<Int>(0)

    init(genomes: UnsafeBufferPointer<FMUnit>, fitness: UnsafeMutableBufferPointer<Double>,
         carriers: Int, count: Int, bound: Double) {
        self.genomes = genomes
        self.fitness = fitness
        self.carriers = carriers
        self.count = count
        self.bound = bound
    }

    func run(_ evaluator: any GenomeScorer) {
        let chunk = PopulationEvaluator.chunk
        while true {
            let start = next.wrappingAdd(chunk, ordering: .relaxed).oldValue
            if start >= count { return }
            for i in start..<min(start + chunk, count) {
                let g = UnsafeBufferPointer(rebasing: genomes[(i * carriers)..<((i + 1) * carriers)])
                fitness[i] = evaluator.evaluate(g, bound: bound)
            }
        }
    }
}
