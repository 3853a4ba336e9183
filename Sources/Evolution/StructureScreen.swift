import Fitness
import FMSynthesis

/// The structure screen (README, "Evolution"): genomes built from the target instead of drawn at
/// random, for the initial population and the first restarts.
///
/// 1. Dictionary: every unit structure of the search space (carrier, modulators, topology; a
///    parallel unit's modulators unordered) on a coarse index grid, each scored alone against the
///    target (the fitness with one carrier: NNLS per frame, so a unit's score is how much of the
///    recording it explains with its own envelope). Each structure keeps its best grid point.
/// 2. Greedy forward selection (matching pursuit over the dictionary): a genome starts from one of
///    the best single units and adds, one at a time, the unit of the `pool` best structures that
///    lowers the error of the whole genome most — so a unit is chosen for what it adds to the others.
/// Restart r starts from the next `perGroup` first units (group r), so every restart explores new
/// structures instead of finding the same basin again. Deterministic (no random draws): the screen
/// is a function of the target and the space, recomputed, not stored, when a run resumes.
public final class StructureScreen: @unchecked Sendable {
    /// The index grid (rad), both indices.
    static let grid: [Double] = [0.25, 0.75, 1.5, 2.5, 4, 6]
    /// Structures the greedy additions choose from.
    static let pool = 1500
    /// Groups of first units (the initial population and the first restarts).
    public static let groups = 8

    public let perGroup: Int
    let carriers: Int
    /// The best grid point of every structure, best single-unit err first.
    public let ranked: [FMUnit]
    let evaluators: [PopulationEvaluator]
    /// Evaluations so far (the dictionary's, then the greedy additions'), counted in the run's.
    public private(set) var evaluations = 0

    /// `evaluator`: the run's (its target, threads and index bound); `perGroup` genomes per group.
    /// `dictionary`: the units to screen (nil: every structure of the space, `dictionary(_:)`).
    public init(evaluator: PopulationEvaluator, space: SearchSpace, perGroup: Int, dictionary: [FMUnit]? = nil) {
        carriers = evaluator.carriers
        self.perGroup = perGroup
        evaluators = (1...evaluator.carriers).map { evaluator.withCarriers($0, maxIndex: space.index.upperBound) }
        let dictionary = dictionary ?? Self.dictionary(space)
        ranked = Self.rank(dictionary: dictionary, with: evaluators[0])
        evaluations = dictionary.count
    }

    /// Every structure at every grid point, inside the space.
    static func dictionary(_ space: SearchSpace) -> [FMUnit] {
        let topologies: [Topology] = space.topology == .parallel ? [.parallel] : space.topology == .cascade ? [.cascade] : [.parallel, .cascade]
        let grid = grid.filter { space.index.contains($0) }
        var units = [FMUnit]()
        for c in space.carrier { for m1 in space.modulator { for m2 in space.modulator { for top in topologies {
            if top == .parallel && m2 < m1 { continue }              // the same unit with the indices swapped
            for i1 in grid { for i2 in grid {
                units.append(FMUnit(carrier: c, modulator1: m1, modulator2: m2, index1: i1, index2: i2, topology: top))
            } }
        } } } }
        return units
    }

    /// Each structure's best grid point, best first (ties: dictionary order).
    static func rank(dictionary: [FMUnit], with evaluator: PopulationEvaluator) -> [FMUnit] {
        let err = evaluator.evaluate(dictionary)
        var best = [StructureKey: Int]()
        for i in dictionary.indices {
            let key = StructureKey([dictionary[i]])
            if let j = best[key], err[j] <= err[i] { continue }
            best[key] = i
        }
        return best.values.sorted { err[$0] < err[$1] || (err[$0] == err[$1] && $0 < $1) }.map { dictionary[$0] }
    }

    /// Group g's genomes, flat and canonical (empty past the last group).
    public func seeds(group g: Int) -> [FMUnit] {
        guard g < Self.groups else { return [] }
        let firsts = ranked.dropFirst(g * perGroup).prefix(perGroup)
        let pool = Array(ranked.prefix(Self.pool))
        var out = [FMUnit]()
        for first in firsts {
            var genome = [first]
            while genome.count < carriers {
                var candidates = [FMUnit]()
                candidates.reserveCapacity(pool.count * (genome.count + 1))
                for u in pool { candidates += genome; candidates.append(u) }
                let err = evaluators[genome.count].evaluate(candidates)
                evaluations += pool.count
                let best = err.indices.min { err[$0] < err[$1] || (err[$0] == err[$1] && $0 < $1) }!
                genome.append(pool[best])
            }
            genome.withUnsafeMutableBufferPointer { Operators.canonicalize($0) }
            out += genome
        }
        return out
    }
}
