import ArgumentParser
import Checkpoint
import Foundation
import Refinement

struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the runs in a checkpoint and their progress (or one run's generations).",
        discussion: """
        Each run is static (Horner's fixed indices, --static-indices) or dynamic (the refinement \
        stage after the search); for a dynamic run whose stage has started, its newest step, \
        phase, err (static -> dynamic) and compute seconds.
        """)

    @Argument(help: "The checkpoint database.")
    var db: String

    @Flag(help: "Show every generation of a run (the newest run unless --run).")
    var generations = false

    @Option(name: .customLong("run"), help: "Show only this run (with --generations: this run's generations).")
    var runID: Int?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let store = try CheckpointStore(path: db, access: .read)
        if let id = runID, try !store.runs().contains(where: { $0.id == id }) {
            throw CLIError(description: "\(db) has no run \(id)")
        }
        if generations {
            let id = try runID ?? store.latestRun().id
            let history = try store.history(run: id)
            if json {
                let rows: [[String: Any]] = history.map {
                    ["generation": $0.generation, "best": $0.best, "mean": $0.mean, "evaluations": $0.evaluations,
                     "abandoned": $0.abandoned, "restarts": $0.restarts, "compute_s": $0.computeSeconds, "write_s": $0.writeSeconds]
                }
                printJSON(["run": id, "generations": rows])
                return
            }
            print("generation  best err   mean err   evaluations  compute ms  write ms")
            for g in history {
                print("\(pad(g.generation, 10))  \(fmt(g.best, 6))  \(fmt(g.mean, 6))  \(pad(g.evaluations, 11))  \(pad(fmt(g.computeSeconds * 1000, 2), 10))  \(pad(fmt(g.writeSeconds * 1000, 3), 8))")
            }
            return
        }
        let summaries = try store.summaries().filter { runID == nil || $0.run.id == runID }
        let stages = try summaries.map { try store.refinement(run: $0.run.id) }
        if json {
            printJSON(["runs": zip(summaries, stages).map { s, stage -> [String: Any] in
                ["run": s.run.id, "target": s.run.targetPath, "created": s.run.created, "updated": s.run.updated,
                 "seed": s.run.settings.seed, "carriers": s.run.settings.config.carriers,
                 "population": s.run.settings.config.population * s.run.settings.migration.islands,
                 "islands": s.run.settings.migration.islands, "generations": s.generations, "best": s.best,
                 "evaluations": s.evaluations, "compute_s": s.computeSeconds, "write_s": s.writeSeconds,
                 "write_share": s.writeShare, "fmevolve_version": s.run.version,
                 "dynamic": s.run.settings.refinement != nil, "refinement": stage.map { stageJSON($0, searchBest: s.best) } ?? NSNull()]
            }])
            return
        }
        if summaries.isEmpty { print("\(db): no runs"); return }
        print("run  target                         generations  best err   evaluations  search s  writing s (share)  indices  updated")
        for (s, stage) in zip(summaries, stages) {
            let target = s.run.targetPath.count > 30 ? "…" + s.run.targetPath.suffix(29) : s.run.targetPath
            print("\(pad(s.run.id, 3))  \(target.padding(toLength: 30, withPad: " ", startingAt: 0))  \(pad(s.generations, 11))  \(fmt(s.best, 6))  \(pad(s.evaluations, 11))  \(pad(fmt(s.computeSeconds, 1), 8))  \(pad(fmt(s.writeSeconds, 2), 9)) (\(fmt(100 * s.writeShare, 1)) %)  \(s.run.settings.refinement == nil ? "static " : "dynamic")  \(s.run.updated)")
            if s.run.settings.refinement != nil { print("     \(stage.map { stageLine($0, searchBest: s.best) } ?? "refinement not started")") }
        }
    }
}

/// A run's refinement stage at its newest step: `refinement step 14, breakpoints: err 0.03793
/// static -> 0.03089 dynamic, 12.3 s` (step 0, before the first candidate is screened, has no err).
/// "static" is the search's best err, Horner's result, as the result line and patch file say it.
func stageLine(_ stage: (record: RefinementRecord, state: RefinementStageState), searchBest: Double) -> String {
    let r = stage.record
    let err = r.err.isFinite ? ": err \(fmt(searchBest, 5)) static -> \(fmt(r.err, 5)) dynamic" : ""
    return "refinement step \(r.step), \(r.phase)\(err), \(fmt(r.computeSeconds, 1)) s"
}

/// The same as a JSON object (err and static_err null before the first candidate is screened).
func stageJSON(_ stage: (record: RefinementRecord, state: RefinementStageState), searchBest: Double) -> [String: Any] {
    let r = stage.record
    func number(_ x: Double) -> Any { x.isFinite ? x : NSNull() }
    return ["step": r.step, "phase": r.phase, "err": number(r.err), "static_err": number(r.err.isFinite ? searchBest : .nan),
            "seconds": r.computeSeconds, "finished": stage.state.done]
}

func printJSON(_ obj: Any) {
    if let data = try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]) {
        print(String(decoding: data, as: UTF8.self))
    }
}
