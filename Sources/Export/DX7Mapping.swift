import Analysis
import Evolution
import Fitness
import Foundation
import FMSynthesis

/// The DX7-representable patch closest to a match, chosen by the fitness itself.
///
/// A DX7 holds two double-modulator units at most (algorithm 10: a three-operator cascade and a
/// carrier with two parallel modulators; algorithm 3: two cascades), or three units reduced to
/// two-operator stacks (algorithm 5: OP2→OP1, OP4→OP3, OP6→OP5); its output levels move an index in steps
/// of 2^(1/8) (9 %) — enough to spoil a fit whose error can grow tenfold for 0.1 rad. So every
/// representable choice is evaluated: each unit as it is or as a two-operator stack (one modulator
/// dropped), every pair fitting an algorithm, every single unit and, for three units or more,
/// every three as stacks, with each modulator's output
/// level rounded down or up; the genome with the lowest err wins and its envelopes are refitted.
enum DX7Mapping {
    /// Generations of the two-unit search (population 100, seed 1: the export is repeatable).
    static let searchGenerations = 300

    /// The best DX7 genome among the forms of the match itself and of a dedicated two-unit match
    /// (a DX7 holds two double-modulator units, and the best pair for a note is rarely two units of
    /// its best three).
    static func search(_ units: [FMUnit], analysis: TargetAnalysis) -> (genome: [FMUnit], err: Double) {
        candidates(units, analysis: analysis).min { $0.err < $1.err }!
    }

    /// The best DX7 genome of the match's own units and, for three units or more, of a dedicated
    /// two-unit match.
    static func candidates(_ units: [FMUnit], analysis: TargetAnalysis) -> [(genome: [FMUnit], err: Double)] {
        var candidates = [best(units, analysis: analysis)]
        if units.count > 2 { candidates.append(best(twoUnitMatch(analysis, maxIndex: 8), analysis: analysis)) }
        return candidates
    }

    /// A dedicated two-unit match of the target (deterministic: seed 1, `searchGenerations`).
    static func twoUnitMatch(_ analysis: TargetAnalysis, maxIndex: Double) -> [FMUnit] {
        var config = EvolutionConfig(carriers: 2, population: 100, space: .standard(harmonics: analysis.harmonicCount))
        config.space.index = 0...maxIndex
        let evaluator = PopulationEvaluator(target: FitnessTarget(analysis: analysis), carriers: 2, maxIndex: maxIndex,
                                            threads: ProcessInfo.processInfo.activeProcessorCount)
        let ga = GeneticAlgorithm(config: config, evaluator: evaluator)
        var state = ga.initialState(seed: 1)
        while state.generation < searchGenerations { ga.step(&state) }
        return state.champion
    }

    /// The best pair for a six-operator engine with a free modulation matrix and indices up to
    /// `maxIndex` (norns FM7: 2π): every pair of the match's units and the dedicated two-unit
    /// match, indices capped, chosen by err.
    static func bestPair(_ units: [FMUnit], analysis: TargetAnalysis, maxIndex: Double) -> (genome: [FMUnit], err: Double) {
        func capped(_ g: [FMUnit]) -> [FMUnit] {
            g.map { var u = $0; u.index1 = min(u.index1, maxIndex); u.index2 = min(u.index2, maxIndex); return u }
        }
        var candidates = [capped(twoUnitMatch(analysis, maxIndex: maxIndex))]
        for a in units.indices { for b in units.indices where b > a { candidates.append(capped([units[a], units[b]])) } }
        if units.count == 1 { candidates.append(capped(units)) }
        let target = FitnessTarget(analysis: analysis)
        let top = max(8, units.reduce(0) { max($0, $1.index1, $1.index2) })
        return candidates.map { g in (g, FitnessEvaluator(target: target, carriers: g.count, maxIndex: top).evaluate(g)) }
            .min { $0.1 < $1.1 }!
    }

    /// Forms a unit can take in a cascade slot (OP3→OP2→OP1): a cascade as it is, or a stack
    /// (OP2→OP1, OP3 off) keeping either modulator.
    static func cascadeForms(_ u: FMUnit) -> [FMUnit] {
        var out = [FMUnit]()
        if u.topology == .cascade { out.append(u) }
        var a = u; a.topology = .cascade; a.index2 = 0
        out.append(a)
        var b = u; b.topology = .cascade; b.modulator1 = u.modulator2; b.index1 = u.index2; b.index2 = 0
        out.append(b)
        return out
    }

    /// Forms for the OP6/OP5→OP4 slot: the unit as it is (parallel: algorithm 10; cascade:
    /// algorithm 3), or as a stack.
    static func secondForms(_ u: FMUnit) -> [FMUnit] { [u] + cascadeForms(u).filter { $0 != u } }

    /// The index after the DX7's output-level quantisation, rounded down or up.
    static func quantised(_ i: Double, up: Bool) -> Double {
        guard i >= 0.013 else { return 0 }
        let exact = 99 + 8 * log2(i / (4 * .pi))
        let ol = min(99, max(20, Int(up ? exact.rounded(.up) : exact.rounded(.down))))
        return DX7Export.index(outputLevel: ol)
    }

    /// Every quantisation of a genome's indices (2 choices per non-zero index).
    static func quantisations(_ g: [FMUnit]) -> [[FMUnit]] {
        var out: [[FMUnit]] = [[]]
        for u in g {
            var next = [[FMUnit]]()
            let i1s = u.index1 >= 0.013 ? [false, true].map { quantised(u.index1, up: $0) } : [0.0]
            let i2s = u.index2 >= 0.013 ? [false, true].map { quantised(u.index2, up: $0) } : [0.0]
            for prefix in out {
                for i1 in Set(i1s) { for i2 in Set(i2s) {
                    var v = u; v.index1 = i1; v.index2 = i2
                    next.append(prefix + [v])
                } }
            }
            out = next
        }
        return out
    }

    /// The best DX7-representable genome (first unit: the cascade slot) and its err.
    static func best(_ units: [FMUnit], analysis: TargetAnalysis) -> (genome: [FMUnit], err: Double) {
        let target = FitnessTarget(analysis: analysis)
        let maxIndex = max(4 * .pi, units.reduce(0) { max($0, $1.index1, $1.index2) }) * 1.01   // OL 99 is 4π rad
        var best: ([FMUnit], Double) = ([], .infinity)
        var evaluators = [Int: FitnessEvaluator]()
        func evaluate(_ g: [FMUnit]) {
            let ev = evaluators[g.count] ?? FitnessEvaluator(target: target, carriers: g.count, maxIndex: maxIndex)
            evaluators[g.count] = ev
            for q in quantisations(g) {
                let e = ev.evaluate(q)
                if e < best.1 { best = (q, e) }
            }
        }
        for (a, u) in units.enumerated() {
            for first in cascadeForms(u) {
                evaluate([first])
                for (b, v) in units.enumerated() where b != a {
                    for second in secondForms(v) { evaluate([first, second]) }
                }
            }
        }
        // three two-operator stacks (algorithm 5)
        let stacks = units.map { cascadeForms($0).filter { $0.index2 == 0 } }
        for a in 0..<units.count { for b in (a + 1)..<max(a + 1, units.count) { for c in (b + 1)..<max(b + 1, units.count) {
            for x in stacks[a] { for y in stacks[b] { for z in stacks[c] { evaluate([x, y, z]) } } }
        } } }
        return polish(best.0, err: best.1, evaluator: evaluators[best.0.count]!)
    }

    /// Output level of a DX7 index (0: off).
    static func level(_ i: Double) -> Int { i < 0.013 ? 0 : DX7Export.outputLevel(index: i) }

    /// Local search inside the DX7's grid: every modulator's output level ±1, ±2, ±4 and every
    /// ratio ±1 (best improvement first, until none), then for each modulator every ratio 1–16
    /// with output levels 40–99 in steps of 3, refined again — the indices stay on the levels a
    /// DX7 can play.
    static func polish(_ start: [FMUnit], err: Double, evaluator ev: FitnessEvaluator) -> (genome: [FMUnit], err: Double) {
        var best = start, bestErr = err
        func withLevel(_ u: FMUnit, which: Int, ol: Int) -> FMUnit {
            var v = u
            let i = ol <= 0 ? 0 : DX7Export.index(outputLevel: min(99, max(20, ol)))
            if which == 1 { v.index1 = i } else { v.index2 = i }
            return v
        }
        func climb() {
            var improved = true
            while improved {
                improved = false
                var trial = best, trialErr = bestErr
                for j in best.indices {
                    let u = best[j]
                    var moves = [FMUnit]()
                    for which in [1, 2] where which == 1 || u.index2 > 0 || u.topology == .parallel {
                        let ol = level(which == 1 ? u.index1 : u.index2)
                        if ol == 0 && which == 2 { continue }
                        for d in [-4, -2, -1, 1, 2, 4] { moves.append(withLevel(u, which: which, ol: ol + d)) }
                    }
                    for d in [-1, 1] {
                        var c = u; c.carrier = max(1, min(31, u.carrier + Int32(d))); moves.append(c)
                        var a = u; a.modulator1 = max(1, min(31, u.modulator1 + Int32(d))); moves.append(a)
                        if u.index2 > 0 { var b = u; b.modulator2 = max(1, min(31, u.modulator2 + Int32(d))); moves.append(b) }
                    }
                    for m in moves where m != u {
                        var g = best; g[j] = m
                        let e = ev.evaluate(g)
                        if e < trialErr { trial = g; trialErr = e }
                    }
                }
                if trialErr < bestErr { best = trial; bestErr = trialErr; improved = true }
            }
        }
        climb()
        for j in best.indices {
            for which in [1, 2] where which == 1 || best[j].index2 > 0 {
                for ratio in 1...16 { for ol in stride(from: 40, through: 99, by: 3) {
                    var u = withLevel(best[j], which: which, ol: ol)
                    if which == 1 { u.modulator1 = Int32(ratio) } else { u.modulator2 = Int32(ratio) }
                    var g = best; g[j] = u
                    let e = ev.evaluate(g, bound: bestErr)
                    if e < bestErr { best = g; bestErr = e }
                } }
            }
        }
        climb()
        return (best, bestErr)
    }
}
