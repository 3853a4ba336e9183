import FMSynthesis

/// Which island of an island model a population is: island `index` of `count`. Island i's
/// epochs take the structure screen's groups i, i + count, i + 2·count, … so that islands start
/// and restart from different screened genomes; a single population (`.single`) takes them all
/// in turn, as before islands.
public struct IslandSlot: Sendable, Equatable {
    public var index: Int
    public var count: Int
    public static let single = IslandSlot(index: 0, count: 1)
    public init(index: Int, count: Int) { self.index = index; self.count = count }
    func screenGroup(epoch: Int) -> Int { epoch * count + index }
}

/// How islands exchange genomes (a policy as a value, as in pygmo): every `every` generations
/// each island sends copies of its `migrants` best genomes to the next island of a ring
/// (island i to island i+1 mod N), where they replace only worse genomes.
public struct MigrationPolicy: Codable, Equatable, Sendable {
    public var islands: Int
    public var every: Int
    public var migrants: Int
    public init(islands: Int, every: Int = 20, migrants: Int = 2) {
        self.islands = islands; self.every = every; self.migrants = migrants
    }
    /// The receiver of island i's migrants.
    public func destination(of i: Int) -> Int { (i + 1) % islands }
    public func migrates(after generation: Int) -> Bool { islands > 1 && generation > 0 && generation % every == 0 }
}

/// The state of an island model: every island's complete state (one population each).
public struct IslandState: Sendable, Equatable {
    public var islands: [EvolutionState]
    public init(islands: [EvolutionState]) { self.islands = islands }

    public var generation: Int { islands[0].generation }
    public var evaluations: Int { islands.reduce(0) { $0 + $1.evaluations } }
    public var bestFitness: Double { islands.map(\.bestFitness).min() ?? .infinity }

    /// One population made of all the islands', for what reads a run's result (the champion,
    /// the refinement stage's candidates, reports): genomes best first (ties: island order), the
    /// best hall of fame, every island's epoch champions. One island: that island's state.
    public var merged: EvolutionState {
        if islands.count == 1 { return islands[0] }
        let N = islands[0].carriers
        var pool: [(genome: ArraySlice<FMUnit>, err: Double)] = []
        for s in islands { for i in s.fitness.indices { pool.append((s.genome(i), s.fitness[i])) } }
        let order = pool.indices.sorted { pool[$0].err < pool[$1].err || (pool[$0].err == pool[$1].err && $0 < $1) }
        let fame = islands.min { $0.hallOfFameFitness < $1.hallOfFameFitness }!
        var epochs: [(genome: [FMUnit], err: Double)] = []
        for s in islands { for e in s.epochFitness.indices { epochs.append((Array(s.epochChampions[(e * N)..<((e + 1) * N)]), s.epochFitness[e])) } }
        let epochOrder = epochs.indices.sorted { epochs[$0].err < epochs[$1].err || (epochs[$0].err == epochs[$1].err && $0 < $1) }
        return EvolutionState(generation: generation, units: order.flatMap { pool[$0].genome }, fitness: order.map { pool[$0].err },
                              rng: islands[0].rng, evaluations: evaluations, stall: islands.map(\.stall).min() ?? 0,
                              swept: false, restarts: islands.reduce(0) { $0 + $1.restarts }, searchStep: islands[0].searchStep,
                              championSwept: false, localCursor: 0, hallOfFame: fame.hallOfFame,
                              hallOfFameFitness: fame.hallOfFameFitness, epochChampions: epochOrder.flatMap { epochs[$0].genome },
                              epochFitness: epochOrder.map { epochs[$0].err })
    }
}

/// N islands, each a population of the genetic algorithm with its own random stream, stepped one
/// after another (each evaluated in parallel), exchanging migrants at generation boundaries
/// (Whitley, Rana & Heckendorn 1999; pygmo's archipelago). Deterministic: the islands' order
/// and the migration are fixed, so the thread count never changes a result.
public final class IslandModel {
    public let ga: GeneticAlgorithm
    public let policy: MigrationPolicy

    public init(ga: GeneticAlgorithm, policy: MigrationPolicy) {
        precondition(policy.islands >= 1 && policy.every >= 1 && policy.migrants >= 0)
        self.ga = ga
        self.policy = policy
    }

    /// Island i's seed: the run's seed for island 0 (so one island is the plain algorithm),
    /// then SplitMix64 increments of it.
    public static func seed(_ seed: UInt64, island i: Int) -> UInt64 { seed &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15 }

    public func slot(_ i: Int) -> IslandSlot { IslandSlot(index: i, count: policy.islands) }

    public func initialState(seed: UInt64) -> IslandState {
        IslandState(islands: (0..<policy.islands).map { ga.initialState(seed: Self.seed(seed, island: $0), island: slot($0)) })
    }

    /// One generation on every island, then the migration when it is due.
    @discardableResult
    public func step(_ s: inout IslandState) -> GenerationStats {
        let stats = s.islands.indices.map { ga.step(&s.islands[$0], island: slot($0)) }
        return finishGeneration(&s, stats: stats)
    }

    /// After every island's generation (`stats`, island order): the migration when it is due, and
    /// the generation's statistics over all islands.
    public func finishGeneration(_ s: inout IslandState, stats: [GenerationStats]) -> GenerationStats {
        if policy.migrates(after: s.generation) { migrate(&s) }
        return GenerationStats(generation: s.generation, best: s.bestFitness, mean: s.merged.meanFitness,
                               evaluations: stats.reduce(0) { $0 + $1.evaluations }, abandoned: stats.reduce(0) { $0 + $1.abandoned },
                               totalEvaluations: s.evaluations, restarted: stats.contains { $0.restarted })
    }

    /// Every island's best genomes, taken before any island receives, go to the next island.
    public func migrate(_ s: inout IslandState) {
        let N = ga.config.carriers, m = policy.migrants
        let outgoing = s.islands.map { island -> ([FMUnit], [Double]) in
            let k = min(m, island.fitness.count)
            return (Array(island.units.prefix(k * N)), Array(island.fitness.prefix(k)))
        }
        for i in s.islands.indices {
            let (units, fitness) = outgoing[i]
            ga.receive(&s.islands[policy.destination(of: i)], migrants: units, fitness: fitness)
        }
    }
}

/// Runs an island model's generations: here (`LocalIslands`) or spread over MPI ranks.
public protocol IslandRunner: AnyObject {
    var model: IslandModel { get }
    /// Whether this process keeps the run's checkpoint, progress and result (rank 0; always
    /// when local).
    var isRoot: Bool { get }
    func initialState(seed: UInt64) throws -> IslandState
    func step(_ s: inout IslandState) throws -> GenerationStats
    /// The root's stop decision, on every process (`stop` is this process's own, used at the root).
    func agree(stop: Bool) throws -> Bool
}

/// Every island in this process.
public final class LocalIslands: IslandRunner {
    public let model: IslandModel
    public init(_ model: IslandModel) { self.model = model }
    public var isRoot: Bool { true }
    public func initialState(seed: UInt64) -> IslandState { model.initialState(seed: seed) }
    public func step(_ s: inout IslandState) -> GenerationStats { model.step(&s) }
    public func agree(stop: Bool) -> Bool { stop }
}
