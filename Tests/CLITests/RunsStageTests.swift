import Foundation
import Testing
import TestSupport

/// `fmevolve runs` shows each run's kind — static (`--static-indices`) or dynamic — and, for a
/// dynamic run, its refinement stage at the newest stored step: step, phase, err (static ->
/// dynamic) and the stage's seconds, in text and in `--json`, as `evolve` reported them.
@Suite struct RunsStageTests {
    static let oboe = Paths.target("oboe-C5.wav")
    static let small = ["--carriers", "2", "--generations", "3", "--population", "16", "--seed", "2", "--quiet"]

    /// The runs of `runs --json`, oldest first.
    static func runs(_ db: String) throws -> [[String: Any]] {
        let r = try fmevolve("runs", db, "--json")
        try #require(r.status == 0, "\(r.stderr)")
        return try #require(try RunOutput.object(r.stdout)["runs"] as? [[String: Any]])
    }

    /// The text listing's lines.
    static func text(_ db: String) throws -> [String] {
        let r = try fmevolve("runs", db)
        try #require(r.status == 0, "\(r.stderr)")
        return r.stdout.split(separator: "\n").map(String.init)
    }

    /// The stage line `runs` prints under a dynamic run, from the values of its JSON.
    static func stageLine(_ stage: [String: Any]) throws -> String {
        let step = try #require(stage.jsonInt("step")), phase = try #require(stage.jsonString("phase"))
        let seconds = try #require(stage.jsonDouble("seconds"))
        let err = try #require(stage.jsonDouble("err")), staticErr = try #require(stage.jsonDouble("static_err"))
        return "     refinement step \(step), \(phase): err \(String(format: "%.5f", staticErr)) static -> "
            + "\(String(format: "%.5f", err)) dynamic, \(String(format: "%.1f", seconds)) s"
    }

    /// A static run and a finished dynamic run in one file.
    @Test func staticAndFinishedDynamicRuns() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.path("two.sqlite")
        _ = try RunOutput.evolve([Self.oboe, "--db", db, "--out-dir", dir.path("s"), "--static-indices"] + Self.small)
        let report = try RunOutput.object(try RunOutput.evolve([Self.oboe, "--db", db, "--out-dir", dir.path("d"), "--json"]
                                                              + Self.small).stdout)
        let runs = try Self.runs(db)
        try #require(runs.count == 2)
        #expect(runs[0]["dynamic"] as? Bool == false && runs[0]["refinement"] is NSNull)
        #expect(runs[1]["dynamic"] as? Bool == true)
        let stage = try #require(runs[1]["refinement"] as? [String: Any], "\(runs[1])")
        #expect(Set(stage.keys) == ["step", "phase", "err", "static_err", "seconds", "finished"])
        #expect(stage.jsonInt("step") == report.jsonInt("refinement_steps") && (stage.jsonInt("step") ?? 0) >= 1)
        #expect(stage.jsonString("phase") == "done" && stage["finished"] as? Bool == true)
        #expect(stage.jsonDouble("err") == report.jsonDouble("err"))
        #expect(stage.jsonDouble("static_err") == report.jsonDouble("static_err"))
        #expect(stage.jsonDouble("seconds") == report.jsonDouble("refinement_s"))

        let lines = try Self.text(db)
        try #require(lines.count == 1 + 1 + 2, "\(lines)")
        #expect(lines[0].hasSuffix("writing s (share)  indices  updated"), "\(lines[0])")
        #expect(lines[1].hasPrefix("  1 ") && lines[1].contains("  static   "), "\(lines[1])")     // and no stage line
        #expect(lines[2].hasPrefix("  2 ") && lines[2].contains("  dynamic  "), "\(lines[2])")
        #expect(lines[3] == (try Self.stageLine(stage)))
    }

    /// A dynamic run killed during its search has no stage yet; stopped by Ctrl-C in its stage,
    /// `runs` shows the step it checkpointed, unfinished.
    @Test func stageNotStartedThenInterrupted() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.path("i.sqlite")
        let search = try Background(Paths.executable, ["evolve", Self.oboe, "--db", db, "--generations", "100000",
                                                       "--population", "16", "--carriers", "3", "--seed", "2", "--quiet"], in: dir)
        let started = eventually(within: 60) { ((try? storedGenerations(db))?.newest ?? -1) >= 3 }
        search.signal(SIGKILL)
        search.wait()
        try #require(started, "no generations stored: \(search.stderr)")
        let before = try #require(try Self.runs(db).first)
        #expect(before["dynamic"] as? Bool == true && before["refinement"] is NSNull)
        #expect(try Self.text(db).last == "     refinement not started")

        // the search is over at its newest generation: the stage starts; Ctrl-C after its 2nd step
        let newest = try storedGenerations(db).newest
        let stage = try Background(Paths.executable, ["resume", db, "--generations", "\(newest)", "--out-dir", dir.path("out")], in: dir)
        let stepped = eventually(within: 60) { ((try? storedRefinementSteps(db))?.newest ?? -1) >= 2 }
        stage.signal(SIGINT)
        #expect(stage.wait() == 130, "\(stage.stderr)")
        try #require(stepped, "the stage stored no steps: \(stage.stderr)")
        let last = try #require(stage.stderr.split(separator: "\n").last.map(String.init))
        let checkpointed = try #require(last.wholeMatch(of: #/fmevolve: checkpointed refinement step (\d+); resume with: fmevolve resume (.+)/#),
                                        "\(stage.stderr)")
        let step = try #require(Int(checkpointed.output.1))
        #expect(try storedRefinementSteps(db).newest == step)

        let after = try #require(try Self.runs(db).first)
        let stored = try #require(after["refinement"] as? [String: Any], "\(after)")
        #expect(stored.jsonInt("step") == step && stored["finished"] as? Bool == false)
        #expect(stored.jsonString("phase") != "done")
        // its err and static err are the progress line of that step's
        let progress = stage.stderr.split(separator: "\n").map(String.init).last { $0.hasPrefix("refine step \(step) ") }
        let line = try #require(progress, "\(stage.stderr)")
        #expect(line.contains("  \(try #require(stored.jsonString("phase")))  err \(String(format: "%.5f", try #require(stored.jsonDouble("err")))) "
                              + "(static \(String(format: "%.5f", try #require(stored.jsonDouble("static_err")))))"), "\(line)")
        #expect(try Self.text(db).last == (try Self.stageLine(stored)))
    }
}
