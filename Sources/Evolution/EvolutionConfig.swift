import Fitness

/// Everything that shapes a run besides the target and the seed. Stored with a checkpoint.
public struct EvolutionConfig: Sendable, Equatable, Codable {
    /// Units per genome (`--carriers`, 1…8).
    public var carriers: Int
    /// Genomes kept each generation (μ).
    public var population: Int
    /// Children bred each generation (λ).
    public var offspring: Int
    /// Tournament size for parent selection.
    public var tournament: Int
    /// Probability that a child is bred by crossover (else a mutated copy of one parent).
    public var crossoverRate: Double
    /// Gaussian step of index mutations (rad).
    public var indexSigma: Double
    /// Evaluations spent each generation refining the best genome (local search).
    public var localSearchBudget: Int
    /// Generations without a better champion before the population is reseeded around it.
    public var stallGenerations: Int
    /// Genomes kept at a restart.
    public var restartElite: Int
    /// Genomes with the same ratios and topologies that may survive together.
    public var nicheCapacity: Int
    public var space: SearchSpace
    public var fit: FitSettings
    /// Draw half of the new units' carriers from the target's harmonic energy.
    public var useCarrierPrior: Bool
    /// Genomes the structure screen builds for the initial population and for each of the first
    /// restarts (StructureScreen), at most half of the genomes a restart draws (`screenGroupSize`);
    /// 0: random genomes only (runs stored before the screen).
    public var screenSeeds: Int

    public init(carriers: Int = 3, population: Int = 200, offspring: Int? = nil, tournament: Int = 3,
                crossoverRate: Double = 0.8, indexSigma: Double = 0.5, localSearchBudget: Int? = nil,
                stallGenerations: Int = 100, restartElite: Int = 0, nicheCapacity: Int = 1,
                space: SearchSpace = SearchSpace(), fit: FitSettings = .standard, useCarrierPrior: Bool = true,
                screenSeeds: Int = 16) {
        self.carriers = carriers
        self.population = population
        self.offspring = offspring ?? population
        self.tournament = tournament
        self.crossoverRate = crossoverRate
        self.indexSigma = indexSigma
        self.localSearchBudget = localSearchBudget ?? max(8 * carriers, population / 4)
        self.stallGenerations = stallGenerations
        self.restartElite = restartElite
        self.nicheCapacity = nicheCapacity
        self.space = space
        self.fit = fit
        self.useCarrierPrior = useCarrierPrior
        self.screenSeeds = screenSeeds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        carriers = try c.decode(Int.self, forKey: .carriers)
        population = try c.decode(Int.self, forKey: .population)
        offspring = try c.decode(Int.self, forKey: .offspring)
        tournament = try c.decode(Int.self, forKey: .tournament)
        crossoverRate = try c.decode(Double.self, forKey: .crossoverRate)
        indexSigma = try c.decode(Double.self, forKey: .indexSigma)
        localSearchBudget = try c.decode(Int.self, forKey: .localSearchBudget)
        stallGenerations = try c.decode(Int.self, forKey: .stallGenerations)
        restartElite = try c.decode(Int.self, forKey: .restartElite)
        nicheCapacity = try c.decode(Int.self, forKey: .nicheCapacity)
        space = try c.decode(SearchSpace.self, forKey: .space)
        fit = try c.decode(FitSettings.self, forKey: .fit)
        useCarrierPrior = try c.decode(Bool.self, forKey: .useCarrierPrior)
        screenSeeds = try c.decodeIfPresent(Int.self, forKey: .screenSeeds) ?? 0
    }

    /// The screen's genomes per group: `screenSeeds`, at most half of the genomes a restart draws,
    /// so that small populations keep random genomes too.
    public var screenGroupSize: Int { min(screenSeeds, (population - restartElite) / 2) }

    /// Problems with the configuration, as one-line messages.
    public func validate() -> [String] {
        var problems = [String]()
        if !(1...8).contains(carriers) { problems.append("--carriers must be between 1 and 8 (got \(carriers))") }
        if population < 4 { problems.append("--population must be at least 4 (got \(population))") }
        if offspring < 1 { problems.append("offspring must be at least 1") }
        if tournament < 1 || tournament > population { problems.append("tournament size must be 1…population") }
        if restartElite < 0 || restartElite >= population { problems.append("restart elite must be smaller than the population") }
        if screenSeeds < 0 { problems.append("screen seeds must be at least 0") }
        if !(space.index.upperBound > space.index.lowerBound) { problems.append("the index range must have a positive width") }
        return problems
    }
}
