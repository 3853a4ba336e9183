import Foundation
import Testing
import TestSupport

/// `resume` of a run whose search is over and whose stage has started continues the stage — it
/// says so, at the stored step — and runs no generation: plainly, with --time-limit, or with
/// --more 0. Asked for more generations, it searches on instead, and the stage starts again.
@Suite struct ResumeInStageTests {
    static let oboe = Paths.target("oboe-C5.wav")
    static var resumed: Regex<(Substring, Substring, Substring, Substring, Substring)> { #/resuming run 1 of (.+) in its refinement stage \((.+), step (\d+)\), (\d+) threads?/# }

    /// A dynamic run of 8 generations stopped by Ctrl-C after its stage stored step 3; returns
    /// (db, the stored step).
    static func stoppedInItsStage(_ dir: TemporaryDirectory) throws -> (String, Int) {
        let db = dir.path("s.sqlite")
        let p = try Background(Paths.executable, ["evolve", oboe, "--db", db, "--generations", "8", "--population", "16", "--carriers", "2",
                                                  "--seed", "4", "--out-dir", dir.path("first")], in: dir)
        let stepped = eventually(within: 60) { ((try? storedRefinementSteps(db))?.newest ?? -1) >= 3 }
        p.signal(SIGINT)
        #expect(p.wait() == 130, "\(p.stderr)")
        try #require(stepped, "no stage: \(p.stderr)")
        let step = try storedRefinementSteps(db).newest
        #expect(p.stderr.hasSuffix("fmevolve: checkpointed refinement step \(step); resume with: fmevolve resume \(db)\n"), "\(p.stderr)")
        return (db, step)
    }

    @Test(arguments: [[], ["--time-limit", "60"], ["--more", "0"]])
    func continuesTheStageWithoutGenerations(_ extra: [String]) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (db, step) = try Self.stoppedInItsStage(dir)
        let generations = try storedGenerations(db)
        #expect(generations.newest == 8)

        let r = try fmevolve(arguments: ["resume", db, "--json", "--out-dir", dir.path("out")] + extra)
        try #require(r.status == 0, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        let said = try #require(lines.first?.wholeMatch(of: Self.resumed), "\(r.stderr)")
        #expect(said.output.1 == db && Int(said.output.3) == step)
        #expect(!lines.contains { $0.hasPrefix("gen ") }, "generations ran: \(r.stderr)")
        let steps = refineStepLines(r.stderr)
        try #require(!steps.isEmpty)
        #expect(steps == Array((step + 1)...(step + steps.count)), "steps \(steps) after \(step)")

        #expect(try storedGenerations(db) == generations)          // no generation stored
        let report = try RunOutput.object(r.stdout)
        #expect(report.jsonInt("generations") == 8 && report.jsonString("stopped_by") == "an earlier session")
        #expect(report.jsonDouble("seconds") == 0)
        #expect(report.jsonInt("refinement_steps") == step + steps.count && report["refinement_finished"] as? Bool == true)
        #expect(try storedRefinementSteps(db).newest == step + steps.count)
    }

    @Test func moreGenerationsSearchOnAndStartTheStageAgain() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (db, _) = try Self.stoppedInItsStage(dir)
        let r = try fmevolve("resume", db, "--more", "2", "--json", "--out-dir", dir.path("out"))
        try #require(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("resuming run 1 of \(db) at generation 8 ("), "\(r.stderr)")
        #expect(try storedGenerations(db).newest == 10)
        let steps = refineStepLines(r.stderr)
        #expect(steps.first == 1 && steps == Array(1...max(1, steps.count)), "\(steps)")
        let report = try RunOutput.object(r.stdout)
        #expect(report.jsonInt("generations") == 10 && report.jsonString("stopped_by") == "generations")
        let stored = try storedRefinementSteps(db)
        #expect(report.jsonInt("refinement_steps") == steps.count && stored.newest == steps.count && stored.count == steps.count + 1)
    }
}
