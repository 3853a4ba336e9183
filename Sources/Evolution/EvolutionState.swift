import FMSynthesis

/// The complete state of a run between two generations: with the config and the target it
/// determines every later generation, so it is what a checkpoint stores.
public struct EvolutionState: Sendable, Equatable, Codable {
    /// Generations completed (0 = the initial population).
    public var generation: Int
    /// population × carriers units, genome i at [i·N, (i+1)·N), sorted best first.
    public var units: [FMUnit]
    /// err of each genome, ascending.
    public var fitness: [Double]
    /// The one generator every random choice comes from.
    public var rng: Xoshiro256
    /// Fitness evaluations so far (abandoned ones included).
    public var evaluations: Int
    /// Generations since the champion last improved.
    public var stall: Int
    /// True once this stall has run its structure sweep.
    public var swept: Bool
    public var restarts: Int
    /// Local-search step for the champion's indices (rad); adapts to success.
    public var searchStep: Double
    /// True once the champion's ratio/topology neighbourhood has been searched.
    public var championSwept: Bool
    /// Which runner-up the local search refines next once the champion has converged.
    public var localCursor: Int
    /// The best genome of every earlier epoch (a restart starts a new epoch), and its err.
    public var hallOfFame: [FMUnit]
    public var hallOfFameFitness: Double
    /// Each earlier epoch's champion, best err first, one per structure (at most
    /// `epochArchiveSize`): the search's other good structures, which a restart would otherwise
    /// forget, for the refinement stage to screen (Structures.swift). The search never reads it.
    public var epochChampions: [FMUnit]
    public var epochFitness: [Double]

    public init(generation: Int, units: [FMUnit], fitness: [Double], rng: Xoshiro256, evaluations: Int, stall: Int,
                swept: Bool, restarts: Int, searchStep: Double, championSwept: Bool, localCursor: Int,
                hallOfFame: [FMUnit], hallOfFameFitness: Double, epochChampions: [FMUnit] = [], epochFitness: [Double] = []) {
        self.generation = generation; self.units = units; self.fitness = fitness; self.rng = rng
        self.evaluations = evaluations; self.stall = stall; self.swept = swept; self.restarts = restarts
        self.searchStep = searchStep; self.championSwept = championSwept; self.localCursor = localCursor
        self.hallOfFame = hallOfFame; self.hallOfFameFitness = hallOfFameFitness
        self.epochChampions = epochChampions; self.epochFitness = epochFitness
    }

    public var carriers: Int { fitness.isEmpty ? 0 : units.count / fitness.count }
    /// The current population's best err.
    public var populationBest: Double { fitness.first ?? .infinity }
    /// The best err found so far (this epoch or an earlier one).
    public var bestFitness: Double { min(populationBest, hallOfFameFitness) }
    /// The best genome found so far.
    public var champion: [FMUnit] {
        hallOfFameFitness < populationBest ? hallOfFame : Array(units.prefix(carriers))
    }
    public func genome(_ i: Int) -> ArraySlice<FMUnit> { units[(i * carriers)..<((i + 1) * carriers)] }
    public var meanFitness: Double {
        let finite = fitness.filter { $0.isFinite }
        return finite.isEmpty ? .infinity : finite.reduce(0, +) / Double(finite.count)
    }
}

/// What one generation did.
public struct GenerationStats: Sendable, Equatable, Codable {
    public var generation: Int
    public var best: Double
    public var mean: Double
    /// Evaluations in this generation.
    public var evaluations: Int
    /// Children abandoned early because they could not beat the worst survivor.
    public var abandoned: Int
    /// Evaluations so far.
    public var totalEvaluations: Int
    public var restarted: Bool

    public init(generation: Int, best: Double, mean: Double, evaluations: Int, abandoned: Int, totalEvaluations: Int,
                restarted: Bool) {
        self.generation = generation; self.best = best; self.mean = mean; self.evaluations = evaluations
        self.abandoned = abandoned; self.totalEvaluations = totalEvaluations; self.restarted = restarted
    }
}
