import ArgumentParser
import Checkpoint
import Foundation

struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the runs in a checkpoint and their progress (or one run's generations).")

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
        if json {
            printJSON(["runs": summaries.map { s -> [String: Any] in
                ["run": s.run.id, "target": s.run.targetPath, "created": s.run.created, "updated": s.run.updated,
                 "seed": s.run.settings.seed, "carriers": s.run.settings.config.carriers,
                 "population": s.run.settings.config.population, "generations": s.generations, "best": s.best,
                 "evaluations": s.evaluations, "compute_s": s.computeSeconds, "write_s": s.writeSeconds,
                 "write_share": s.writeShare, "fmevolve_version": s.run.version]
            }])
            return
        }
        if summaries.isEmpty { print("\(db): no runs"); return }
        print("run  target                         generations  best err   evaluations  search s  writing s (share)  updated")
        for s in summaries {
            let target = s.run.targetPath.count > 30 ? "…" + s.run.targetPath.suffix(29) : s.run.targetPath
            print("\(pad(s.run.id, 3))  \(target.padding(toLength: 30, withPad: " ", startingAt: 0))  \(pad(s.generations, 11))  \(fmt(s.best, 6))  \(pad(s.evaluations, 11))  \(pad(fmt(s.computeSeconds, 1), 8))  \(pad(fmt(s.writeSeconds, 2), 9)) (\(fmt(100 * s.writeShare, 1)) %)  \(s.run.updated)")
        }
    }
}

func printJSON(_ obj: Any) {
    if let data = try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]) {
        print(String(decoding: data, as: UTF8.self))
    }
}
