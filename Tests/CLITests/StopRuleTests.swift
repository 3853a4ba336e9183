import Foundation
import Testing
import TestSupport

/// `evolve` stops at --generations, --time-limit or --target-error, whichever comes first, and
/// after 1000 generations when none is given; the report says which. The rules stop the GA, so
/// the runs are the GA's alone (`--static-indices`) except where the refinement stage's share of
/// a time limit is the point.
@Suite struct StopRuleTests {
    static let oboe = Paths.target("oboe-C5.wav")
    static let small = ["--population", "16", "--carriers", "1", "--seed", "3"]
    static let search = small + ["--static-indices"]

    /// Runs `evolve` in the background (a run that ignored its stop rule would not end: it is
    /// killed after `deadline` seconds and the test fails); returns the JSON report.
    static func report(_ arguments: [String], in dir: TemporaryDirectory, deadline: Double = 120,
                       sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let run = try Background(Paths.executable, ["evolve"] + arguments + ["--quiet", "--json"], in: dir)
        let ended = eventually(within: deadline) { !run.process.isRunning }
        if !ended { run.signal(SIGKILL) }
        let status = run.wait()
        try #require(ended, "still running after \(deadline) s", sourceLocation: sourceLocation)
        try #require(status == 0, "exit \(status): \(run.stderr)", sourceLocation: sourceLocation)
        return try RunOutput.object(run.stdout, sourceLocation: sourceLocation)
    }

    /// --time-limit T: the GA alone searches for T; with the refinement stage (the default) the GA
    /// gets 70 % of T and the stage the rest, so the process lasts T unless the stage finishes
    /// sooner. (Lower bounds only: a loop that stopped early would break them; no speed is asserted.)
    @Test(arguments: [true, false])
    func timeLimit(staticIndices: Bool) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let limit = 1.0                                         // s
        let db = dir.path("t.sqlite")
        let clock = ContinuousClock(), start = clock.now
        let report = try Self.report([Self.oboe, "--time-limit", String(limit), "--db", db] + (staticIndices ? Self.search : Self.small),
                                     in: dir)
        let wall = (clock.now - start) / .seconds(1)
        #expect(report.jsonString("stopped_by") == "time limit")
        let seconds = try #require(report.jsonDouble("seconds"))
        #expect(seconds < limit + 60, "stopped after \(seconds) s")          // sanity only: no timing is asserted
        #expect(report.jsonInt("generations") == (try RunOutput.summary(db)).jsonInt("generations"))
        if staticIndices {
            #expect(seconds >= limit, "stopped after \(seconds) s")
            #expect(report["dynamic"] as? Bool == false && report.jsonInt("refinement_steps") == 0)
            return
        }
        // the GA's share: 70 % of the limit (it stops after the generation that reaches it: a
        // generation of 16 one-unit genomes takes well under a millisecond)
        #expect(seconds >= 0.7 * limit - 1e-9 && seconds < limit, "the search stopped after \(seconds) s")
        // the stage's: the rest, unless it finished sooner
        let finished = try #require(report["refinement_finished"] as? Bool)
        #expect(finished || wall >= limit, "the stage stopped unfinished after \(wall) s in all")
        #expect(try #require(report.jsonInt("refinement_steps")) >= 1)
        #expect(report["dynamic"] as? Bool == true)
    }

    /// The run stops at the first generation whose best err is ≤ E. E is set halfway between two
    /// consecutive bests of a reference run with the same seed (a run does not depend on its stop
    /// rule), so the stop must come exactly at that generation.
    @Test func targetError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let reference = dir.path("reference.sqlite")
        _ = try Self.report([Self.oboe, "--generations", "40", "--db", reference] + Self.search, in: dir)
        var bests = [Double]()                                  // bests[i]: best err of generation i
        for (i, row) in try RunOutput.history(reference).enumerated() {
            try #require(row.jsonInt("generation") == i)
            bests.append(try #require(row.jsonDouble("best")))
        }
        // the first improvement after generation 1 (so that the initial population does not stop it)
        let g = try #require((2..<bests.count).first { bests[$0] < bests[$0 - 1] }, "no improvement in 40 generations: \(bests)")
        let E = (bests[g - 1] + bests[g]) / 2

        let db = dir.path("e.sqlite")
        // --generations 200 as well: whichever comes first, so a run that ignored E would stop by generations
        let report = try Self.report([Self.oboe, "--target-error", String(E), "--generations", "200", "--db", db] + Self.search, in: dir)
        #expect(report.jsonString("stopped_by") == "target error")
        #expect(try #require(report.jsonDouble("err")) <= E)
        #expect(report.jsonInt("generations") == g)
        let history = try RunOutput.history(db)
        try #require(history.count >= 2)
        #expect(history.last?.jsonInt("generation") == g)
        #expect(try #require(history.last?.jsonDouble("best")) <= E)
        #expect(try #require(history[history.count - 2].jsonDouble("best")) > E, "the generation before the last already reached E")
    }

    @Test func thousandGenerationsByDefault() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.path("d.sqlite")
        let report = try Self.report([Self.oboe, "--population", "8", "--carriers", "1", "--db", db, "--static-indices"], in: dir)
        #expect(report.jsonString("stopped_by") == "generations")
        #expect(report.jsonInt("generations") == 1000)
        #expect(try RunOutput.history(db).last?.jsonInt("generation") == 1000)
    }
}
