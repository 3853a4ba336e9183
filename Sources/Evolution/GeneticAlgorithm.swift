import Fitness
import FMSynthesis

/// The generational loop: a (μ + λ) memetic genetic algorithm over double-modulator FM genomes.
///
/// The initial population and the first restarts hold `screenGroupSize` genomes built from the
/// target by the structure screen (StructureScreen), the rest random. Each generation:
/// 1. λ children: tournament-selected parents, unit-wise crossover (indices blended where the
///    parents' units share ratios) with probability `crossoverRate`, then mutation; canonical
///    unit order.
/// 2. The children are evaluated in parallel. A child that cannot beat the worst of the μ parents
///    cannot survive, so its evaluation is abandoned as soon as that is certain.
/// 3. (μ + λ) survivor selection with clearing (Pétrowski 1996): genomes sharing every ratio and
///    topology form a niche, of which only the `nicheCapacity` best survive. Elitism is implicit
///    (the champion is never lost), and one good structure with slightly different indices cannot
///    take over the population.
/// 4. Local search refines the champion's indices (and once its ratio/topology neighbourhood);
///    when the champion has converged, the runners-up in turn.
/// 5. After `stallGenerations` without a better champion, a structure sweep tries every
///    modulator pair and topology in each of the champion's unit slots (LocalSearch); if that
///    finds nothing, the population is reseeded: the `restartElite` best stay (none by default),
///    the rest are new genomes (the screen's next group, then random), and the epoch's champion
///    goes to the hall of fame
///    (restarts keep the search from circling one basin).
/// Every random choice is drawn, in a fixed order, from the state's one generator.
public final class GeneticAlgorithm {
    public let config: EvolutionConfig
    public let evaluator: PopulationEvaluator
    public let operators: Operators
    /// A champion must improve by this fraction to reset the stall counter.
    static let meaningfulImprovement = 1e-4

    /// `carrierPrior`: weights of the carrier ratios (see Operators.carrierPrior); `gridPrior`:
    /// the inharmonic mode's ratios to start from (see Operators.gridPrior).
    public init(config: EvolutionConfig, evaluator: PopulationEvaluator, carrierPrior: [Double]? = nil,
                gridPrior: GridPrior? = nil) {
        precondition(config.validate().isEmpty, config.validate().joined(separator: "; "))
        precondition(evaluator.carriers == config.carriers)
        self.config = config
        self.evaluator = evaluator
        operators = Operators(space: config.space, carriers: config.carriers, indexSigma: config.indexSigma,
                              carrierPrior: config.useCarrierPrior ? carrierPrior : nil,
                              gridPrior: config.useCarrierPrior ? gridPrior : nil)
    }

    /// The structure screen, built on first use (a resumed run builds it again: it is a function
    /// of the target and the space).
    private lazy var screen: StructureScreen? = {
        guard config.screenGroupSize > 0 else { return nil }
        guard config.space.ratioGrid != nil else {
            return StructureScreen(evaluator: evaluator, space: config.space, perGroup: config.screenGroupSize)
        }
        guard let prior = operators.gridPrior else { return nil }
        return StructureScreen(evaluator: evaluator, space: config.space, perGroup: config.screenGroupSize,
                               dictionary: StructureScreen.gridDictionary(prior: prior, space: config.space))
    }()

    /// Group g of the screen's genomes and the evaluations they took (none without a screen).
    private func screened(group g: Int) -> (genomes: [FMUnit], evaluations: Int) {
        guard let screen else { return ([], 0) }
        let before = g == 0 ? 0 : screen.evaluations         // group 0 counts the dictionary too
        let genomes = screen.seeds(group: g)
        return (genomes, screen.evaluations - before)
    }

    /// Generation 0: the screen's first genomes and random ones, `population` in all, evaluated
    /// and sorted. `island`: which island of an island model the state is (its screen groups).
    public func initialState(seed: UInt64, island: IslandSlot = .single) -> EvolutionState {
        var rng = Xoshiro256(seed: seed)
        let seeds = screened(group: island.screenGroup(epoch: 0))
        let fresh = randomGenomes(config.population - seeds.genomes.count / config.carriers, &rng) + seeds.genomes
        let fitness = evaluator.evaluate(fresh)
        var state = EvolutionState(generation: 0, units: [], fitness: [], rng: rng,
                                   evaluations: fresh.count / config.carriers + seeds.evaluations,
                                   stall: 0, swept: false, restarts: 0, searchStep: 0.25, championSwept: false, localCursor: 0,
                                   hallOfFame: [], hallOfFameFitness: .infinity)
        adopt(&state, candidates: fresh, fitness: fitness)
        return state
    }

    /// Runs one generation.
    @discardableResult
    public func step(_ s: inout EvolutionState, island: IslandSlot = .single) -> GenerationStats {
        let N = config.carriers, P = config.population, L = config.offspring
        let previousChampion = Array(s.units.prefix(N))
        let previousBest = s.populationBest

        // 1. breed
        var children = [FMUnit](repeating: s.units[0], count: L * N)
        var rng = s.rng
        s.units.withUnsafeBufferPointer { parents in
            children.withUnsafeMutableBufferPointer { kids in
                for i in 0..<L {
                    let child = UnsafeMutableBufferPointer(rebasing: kids[(i * N)..<((i + 1) * N)])
                    let a = Selection.tournament(s.fitness, size: config.tournament, &rng)
                    let pa = UnsafeBufferPointer(rebasing: parents[(a * N)..<((a + 1) * N)])
                    if rng.chance(config.crossoverRate) {
                        let b = Selection.tournament(s.fitness, size: config.tournament, &rng)
                        let pb = UnsafeBufferPointer(rebasing: parents[(b * N)..<((b + 1) * N)])
                        operators.crossover(pa, pb, into: child, &rng)
                        if rng.chance(0.5) || a == b || child.elementsEqual(pa) || child.elementsEqual(pb) {
                            operators.mutate(child, &rng)
                        }
                    } else {
                        for j in 0..<N { child[j] = pa[j] }
                        operators.mutate(child, &rng)
                    }
                    Operators.canonicalize(child)
                }
            }
        }

        // 2. evaluate; children worse than the worst parent are abandoned
        let bound = s.fitness.last ?? .infinity
        let childFitness = evaluator.evaluate(children, bound: bound)
        var evaluations = L
        let abandoned = childFitness.reduce(0) { $0 + ($1.isFinite ? 0 : 1) }

        // 3. (μ + λ) survivors
        adopt(&s, candidates: s.units + children, fitness: s.fitness + childFitness)

        // 4. local search
        if Array(s.units.prefix(N)) != previousChampion {
            s.searchStep = 0.25
            s.championSwept = false
        }
        let search = LocalSearch(ops: operators, evaluator: evaluator)
        let focus: Int
        let refineChampion = !s.championSwept || s.searchStep >= LocalSearch.minimumStep
        if refineChampion {
            focus = 0
        } else {
            focus = 1 + s.localCursor % max(1, min(P, 10) - 1)
            s.localCursor += 1
        }
        if focus < s.fitness.count {
            let r = search.refine(Array(s.genome(focus)), fitness: s.fitness[focus],
                                  step: refineChampion ? s.searchStep : 0.25,
                                  budget: config.localSearchBudget, sweep: refineChampion && !s.championSwept)
            evaluations += r.evaluations
            if refineChampion {
                s.searchStep = r.step
                s.championSwept = true
            }
            if r.fitness < s.fitness[focus] {
                var units = s.units, fitness = s.fitness
                units.replaceSubrange((focus * N)..<((focus + 1) * N), with: r.genome)
                fitness[focus] = r.fitness
                let keepStep = s.searchStep, swept = s.championSwept
                adopt(&s, candidates: units, fitness: fitness)
                if focus == 0 { s.searchStep = keepStep; s.championSwept = swept }
                else if Array(s.units.prefix(N)) != previousChampion && s.populationBest < previousBest {
                    s.searchStep = 0.25; s.championSwept = false
                }
            }
        }

        // 5. stall and restart
        var restarted = false
        if s.populationBest < previousBest * (1 - Self.meaningfulImprovement) { s.stall = 0 } else { s.stall += 1 }
        if s.stall >= config.stallGenerations && !s.swept {
            // before giving up on this epoch, sweep the champion's unit structures
            let r = search.sweepStructures(Array(s.units.prefix(N)), fitness: s.populationBest,
                                           refineBudget: config.localSearchBudget)
            evaluations += r.evaluations
            s.swept = true
            if r.fitness < s.populationBest * (1 - Self.meaningfulImprovement) {
                var units = s.units, fitness = s.fitness
                units.replaceSubrange(0..<N, with: r.genome)
                fitness[0] = r.fitness
                adopt(&s, candidates: units + Array(s.units.prefix(N)), fitness: fitness + [s.fitness[0]])
                s.stall = 0
                s.swept = false
                s.searchStep = 0.25
                s.championSwept = false
            }
        }
        if s.stall >= config.stallGenerations {
            s.archiveEpochChampion()
            if s.populationBest < s.hallOfFameFitness {
                s.hallOfFame = Array(s.units.prefix(N))
                s.hallOfFameFitness = s.populationBest
            }
            s.searchStep = 0.25
            s.championSwept = false
            let keep = config.restartElite
            let seeds = screened(group: island.screenGroup(epoch: s.restarts + 1))
            let fresh = randomGenomes(P - keep - seeds.genomes.count / N, &rng) + seeds.genomes
            let freshFitness = evaluator.evaluate(fresh)
            evaluations += fresh.count / N + seeds.evaluations
            adopt(&s, candidates: Array(s.units.prefix(keep * N)) + fresh,
                  fitness: Array(s.fitness.prefix(keep)) + freshFitness)
            s.stall = 0
            s.swept = false
            s.restarts += 1
            restarted = true
        }

        s.rng = rng
        s.generation += 1
        s.evaluations += evaluations
        return GenerationStats(generation: s.generation, best: s.bestFitness, mean: s.meanFitness,
                               evaluations: evaluations, abandoned: abandoned, totalEvaluations: s.evaluations,
                               restarted: restarted)
    }

    // MARK: helpers

    /// `count` random canonical genomes, flat.
    private func randomGenomes(_ count: Int, _ rng: inout Xoshiro256) -> [FMUnit] {
        let N = config.carriers
        var out = [FMUnit](repeating: FMUnit(carrier: 1, modulator1: 1, modulator2: 1, index1: 0, index2: 0, topology: .parallel),
                           count: count * N)
        out.withUnsafeMutableBufferPointer { g in
            for i in 0..<count {
                operators.randomGenome(&rng, into: UnsafeMutableBufferPointer(rebasing: g[(i * N)..<((i + 1) * N)]))
            }
        }
        return out
    }

    /// Migrants from another island (flat genomes and their err) join the population by the
    /// survivor selection of a generation: a migrant replaces a genome only by being better, and
    /// only one of a niche survives.
    public func receive(_ s: inout EvolutionState, migrants: [FMUnit], fitness: [Double]) {
        let N = config.carriers, champion = Array(s.units.prefix(N))
        adopt(&s, candidates: s.units + migrants, fitness: s.fitness + fitness)
        if Array(s.units.prefix(N)) != champion {
            // a new champion: its indices are searched afresh (as after a generation)
            s.searchStep = 0.25
            s.championSwept = false
        }
    }

    /// Replaces the population by the best `population` distinct genomes among the candidates.
    private func adopt(_ s: inout EvolutionState, candidates: [FMUnit], fitness: [Double]) {
        let N = config.carriers
        let keys = (0..<fitness.count).map { StructureKey(Array(candidates[($0 * N)..<(($0 + 1) * N)])) }
        let keep = Selection.survivors(fitness: fitness, niches: keys, capacity: config.nicheCapacity,
                                       keep: config.population)
        var units = [FMUnit]()
        units.reserveCapacity(keep.count * N)
        for i in keep { units.append(contentsOf: candidates[(i * N)..<((i + 1) * N)]) }
        s.units = units
        s.fitness = keep.map { fitness[$0] }
    }
}

/// The discrete part of a genome — every unit's ratios and topology — which names its niche.
struct StructureKey: Hashable {
    let genes: [Int32]
    init(_ units: [FMUnit]) {
        genes = units.flatMap { [$0.carrier, $0.modulator1, $0.modulator2, Int32($0.topology.rawValue)] }
    }
}
