import FMSynthesis

/// Local refinement of one genome (the memetic part of the GA).
///
/// The GA finds good ratio combinations quickly but tunes real-valued indices slowly; a pattern
/// search (Hooke & Jeeves 1961, compass variant) does the opposite. Each round tries every index
/// ±step and keeps the best improvement; a round without one halves the step. A sweep of the
/// discrete neighbourhood — each ratio ±1 and each unit's topology flipped — runs once per new
/// champion (on a ratio grid: each ratio by ±0.05 % and ±0.5 %, and the carrier onto its first
/// sidebands |c ± m|). Trials of a round are evaluated together on every core, with the current error as
/// the abandon bound, and the winner is chosen by (error, trial order): deterministic.
struct LocalSearch {
    let ops: Operators
    let evaluator: PopulationEvaluator
    static let minimumStep = 0.002

    struct Result {
        var genome: [FMUnit]
        var fitness: Double
        var step: Double
        var evaluations: Int
    }

    /// The ratio moves of the sweep: ±1 for integer ratios; on a ratio grid, ±0.05 % and ±0.5 %
    /// of the ratio (in 1/10 000, plus a grid step, so that every move changes the value).
    var ratioSteps: [Int] { ops.space.ratioGrid == nil ? [-1, 1] : [-50, -5, 5, 50] }

    func refine(_ genome: [FMUnit], fitness: Double, step: Double, budget: Int, sweep: Bool) -> Result {
        var best = genome, bestF = fitness, step = step, used = 0
        let n = genome.count
        if sweep {
            var trials = [[FMUnit]]()
            for j in 0..<n {
                for gene in 0..<3 {
                    for delta in ratioSteps {
                        var g = best
                        var u = g[j]
                        func moved(_ v: Int32) -> Int { Int(v) + (ops.space.ratioGrid == nil ? delta : Int((Double(v) * Double(delta) / 10_000).rounded()) + delta.signum()) }
                        switch gene {
                        case 0: u.carrier = ops.space.clampRatio(moved(u.carrier), ops.space.carrier)
                        case 1: u.modulator1 = ops.space.clampRatio(moved(u.modulator1), ops.space.modulator)
                        default: u.modulator2 = ops.space.clampRatio(moved(u.modulator2), ops.space.modulator)
                        }
                        if u != g[j] { g[j] = u; trials.append(g) }
                    }
                }
                if ops.space.indexDecay == true {       // the index decay by 4 and 16 levels (7 %, 25 %)
                    for delta in [-16, -4, 4, 16] {
                        var g = best
                        g[j].decay = UInt8(min(max(Int(g[j].decay) + delta, 0), 255))
                        if g[j] != best[j] { trials.append(g) }
                    }
                }
                if ops.space.ratioGrid != nil {         // the carrier onto its first sidebands
                    let u = best[j]
                    for c in [Int(u.carrier) - Int(u.modulator1), Int(u.carrier) + Int(u.modulator1),
                              Int(u.carrier) - Int(u.modulator2), Int(u.carrier) + Int(u.modulator2)] {
                        var g = best
                        g[j].carrier = ops.space.clampRatio(abs(c), ops.space.carrier)
                        if g[j] != best[j] { trials.append(g) }
                    }
                }
                if ops.space.topology == .any {
                    var g = best
                    g[j].topology = g[j].topology == .parallel ? .cascade : .parallel
                    trials.append(g)
                }
            }
            if let (g, f) = bestOf(trials, bound: bestF, used: &used) { best = g; bestF = f }
        }
        while step >= Self.minimumStep && used + 4 * n <= budget {
            var trials = [[FMUnit]]()
            for j in 0..<n {
                for which in 0..<2 {
                    for sign in [-1.0, 1.0] {
                        var g = best
                        if which == 0 {
                            g[j].index1 = ops.space.clampIndex(g[j].index1 + sign * step)
                        } else {
                            g[j].index2 = ops.space.clampIndex(g[j].index2 + sign * step)
                        }
                        if g[j] != best[j] { trials.append(g) }
                    }
                }
            }
            if let (g, f) = bestOf(trials, bound: bestF, used: &used) {
                best = g; bestF = f
                step = min(step * 1.5, 1.0)
            } else {
                step *= 0.5
            }
        }
        return Result(genome: best, fitness: bestF, step: step, evaluations: used)
    }

    /// The best trial that beats `bound`, if any (trials are canonicalised copies).
    private func bestOf(_ trials: [[FMUnit]], bound: Double, used: inout Int) -> ([FMUnit], Double)? {
        topOf(trials, count: 1, bound: bound, used: &used).first
    }

    /// The `count` best trials that beat `bound`, best first (ties: trial order).
    private func topOf(_ trials: [[FMUnit]], count: Int, bound: Double, used: inout Int) -> [([FMUnit], Double)] {
        if trials.isEmpty { return [] }
        var flat = [FMUnit]()
        flat.reserveCapacity(trials.count * trials[0].count)
        for t in trials {
            var g = t
            g.withUnsafeMutableBufferPointer { Operators.canonicalize($0) }
            flat.append(contentsOf: g)
        }
        let f = evaluator.evaluate(flat, bound: bound)
        used += trials.count
        let n = trials[0].count
        let order = f.indices.filter { f[$0] < bound }.sorted { f[$0] < f[$1] || (f[$0] == f[$1] && $0 < $1) }
        return order.prefix(count).map { (Array(flat[($0 * n)..<(($0 + 1) * n)]), f[$0]) }
    }

    /// Candidates of a sweep that are refined.
    static let sweepFinalists = 3

    /// Index pairs tried for every new unit structure in a sweep (rad).
    static let sweepGrid: [Double] = [0.4, 1.2, 2.5]

    /// Structure sweep (run when an epoch stalls): unit slot by unit slot, every modulator pair
    /// (m1, m2) and topology for the slot's carrier, each with the indices of a 3×3 grid; the best
    /// replacement, if it beats the genome, is refined by pattern search and kept before the next
    /// slot (greedy coordinate descent over units). This is the move the GA rarely makes: changing a
    /// unit's modulators together with its indices. Candidates are abandoned as soon as they are
    /// certain to lose.
    /// (On a ratio grid: sweepCarriers.)
    func sweepStructures(_ genome: [FMUnit], fitness: Double, refineBudget: Int) -> Result {
        if ops.space.ratioGrid != nil { return sweepCarriers(genome, fitness: fitness, refineBudget: refineBudget) }
        var best = genome, bestF = fitness, used = 0
        let space = ops.space
        let topologies: [Topology] = space.topology == .parallel ? [.parallel] : space.topology == .cascade ? [.cascade] : [.parallel, .cascade]
        for j in 0..<genome.count {
            var trials = [[FMUnit]]()
            let c = Int(best[j].carrier)
            for topology in topologies {
                for m1 in space.modulator {
                    for m2 in space.modulator where topology == .cascade || m2 >= m1 {
                        for i1 in Self.sweepGrid where space.index.contains(i1) {
                            for i2 in Self.sweepGrid where space.index.contains(i2) {
                                var g = best
                                g[j] = FMUnit(carrier: c, modulator1: m1, modulator2: m2, index1: i1, index2: i2, topology: topology)
                                trials.append(g)
                            }
                        }
                    }
                }
            }
            // the grid is coarse: refine the few best candidates, even ones a little worse
            for (g, f) in topOf(trials, count: Self.sweepFinalists, bound: bestF * 1.5, used: &used) {
                let refined = refine(g, fitness: f, step: 0.25, budget: refineBudget, sweep: false)
                used += refined.evaluations
                if refined.fitness < bestF {
                    best = refined.genome
                    bestF = refined.fitness
                }
            }
        }
        return Result(genome: best, fitness: bestF, step: 0.25, evaluations: used)
    }

    /// The structure sweep on a ratio grid, where modulators cannot be listed: unit slot by unit
    /// slot, the carrier moved onto its first sidebands |c ± m1|, |c ± m2| or onto one of the
    /// recording's strongest partials (GridPrior), each with the indices of a 5×5 grid that
    /// includes 0 (a modulator a unit does not need), the modulators and topology kept; the best
    /// few refined as in sweepStructures with 4× the budget. The move the GA rarely makes: a
    /// carrier one sideband away needs other indices to give the same partials.
    static let carrierSweepGrid: [Double] = [0, 0.6, 1.3, 2.2, 3.5]

    func sweepCarriers(_ genome: [FMUnit], fitness: Double, refineBudget: Int) -> Result {
        var best = genome, bestF = fitness, used = 0
        let prior = ops.gridPrior.map { p in p.carriers.indices.sorted { p.carrierWeights[$0] > p.carrierWeights[$1] }.prefix(6).map { p.carriers[$0] } } ?? []
        for j in 0..<genome.count {
            let u = best[j]
            let c = Int(u.carrier), m1 = Int(u.modulator1), m2 = Int(u.modulator2)
            var carriers = [abs(c - m1), c + m1, abs(c - m2), c + m2] + prior.map(Int.init)
            carriers = carriers.map { Int(ops.space.clampRatio($0, ops.space.carrier)) }
            var seen = Set<Int>([c]), trials = [[FMUnit]]()
            for carrier in carriers where seen.insert(carrier).inserted {
                for i1 in Self.carrierSweepGrid where ops.space.index.contains(i1) {
                    for i2 in Self.carrierSweepGrid where ops.space.index.contains(i2) {
                        var g = best
                        g[j] = FMUnit(carrier: carrier, modulator1: m1, modulator2: m2, index1: i1, index2: i2, topology: u.topology)
                        trials.append(g)
                    }
                }
            }
            for (g, f) in topOf(trials, count: Self.sweepFinalists, bound: bestF * 1.5, used: &used) {
                let refined = refine(g, fitness: f, step: 0.25, budget: 4 * refineBudget, sweep: true)
                used += refined.evaluations
                if refined.fitness < bestF {
                    best = refined.genome
                    bestF = refined.fitness
                }
            }
        }
        return Result(genome: best, fitness: bestF, step: 0.25, evaluations: used)
    }
}
