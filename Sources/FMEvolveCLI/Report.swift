import Analysis
import Evolution
import Export
import Foundation

/// The result of a run, printed to stdout.
struct Report {
    var target: String
    var analysis: TargetAnalysis
    var analysisSeconds: Double
    var state: EvolutionState
    var outcome: Outcome
    var champion: Champion
    var json: String
    var wav: String
    var database: String

    func print(asJSON: Bool) {
        if asJSON {
            let obj: [String: Any] = [
                "target": target, "f0": analysis.f0, "err": champion.err, "render_err": champion.renderErr,
                "generations": state.generation, "evaluations": state.evaluations, "seconds": outcome.seconds,
                "evals_per_s": outcome.evaluationsPerSecond, "analysis_s": analysisSeconds,
                "stopped_by": outcome.reason.rawValue, "patch": json, "wav": wav, "database": database,
                "units": champion.units.map { $0.description },
            ]
            let data = (try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])) ?? Data()
            Swift.print(String(decoding: data, as: UTF8.self))
            return
        }
        Swift.print("err         \(fmt(champion.err, 5)) (render \(fmt(champion.renderErr, 5)))")
        Swift.print("search      \(state.generation) generations, \(state.evaluations) evaluations in \(fmt(outcome.seconds, 1)) s this session (\(Int(outcome.evaluationsPerSecond)) eval/s), stopped by \(outcome.reason.rawValue)")
        for (i, u) in champion.units.enumerated() {
            Swift.print("unit \(i + 1)      \(u)")
        }
        Swift.print("checkpoint  \(database)")
        Swift.print("patch       \(json)")
        Swift.print("wav         \(wav)")
    }
}
