import FMSynthesis

/// Local refinement of one genome (the memetic part of the GA).
///
/// The GA finds good ratio combinations quickly but tunes real-valued indices slowly; a pattern
/// search (Hooke & Jeeves 1961, compass variant) does the opposite. Each round tries every index
/// ±step and keeps the best improvement; a round without one halves the step. A sweep of the
/// discrete neighbourhood — each ratio ±1 and each unit's topology flipped — runs once per new
/// champion. Trials of a round are evaluated together on every core, with the current error as
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

    func refine(_ genome: [FMUnit], fitness: Double, step: Double, budget: Int, sweep: Bool) -> Result {
        var best = genome, bestF = fitness, step = step, used = 0
        let n = genome.count
        if sweep {
            var trials = [[FMUnit]]()
            for j in 0..<n {
                for gene in 0..<3 {
                    for delta in [-1, 1] {
                        var g = best
                        var u = g[j]
                        switch gene {
                        case 0: u.carrier = ops.space.clampRatio(Int(u.carrier) + delta, ops.space.carrier)
                        case 1: u.modulator1 = ops.space.clampRatio(Int(u.modulator1) + delta, ops.space.modulator)
                        default: u.modulator2 = ops.space.clampRatio(Int(u.modulator2) + delta, ops.space.modulator)
                        }
                        if u != g[j] { g[j] = u; trials.append(g) }
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
        if trials.isEmpty { return nil }
        var flat = [FMUnit]()
        flat.reserveCapacity(trials.count * trials[0].count)
        for t in trials {
            var g = t
            g.withUnsafeMutableBufferPointer { Operators.canonicalize($0) }
            flat.append(contentsOf: g)
        }
        let f = evaluator.evaluate(flat, bound: bound)
        used += trials.count
        var pick = -1
        for i in f.indices where f[i] < bound && (pick < 0 || f[i] < f[pick]) { pick = i }
        if pick < 0 { return nil }
        let n = trials[0].count
        return (Array(flat[(pick * n)..<((pick + 1) * n)]), f[pick])
    }
}
