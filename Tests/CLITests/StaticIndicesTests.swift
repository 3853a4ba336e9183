import Foundation
import Testing
import TestSupport

/// `--static-indices` is Horner's method as before the refinement stage: the result is the GA's
/// champion — the err stored for the last generation, bit for bit — with fixed indices: a patch
/// without index envelopes or static_err, a report without the stage, no stage in the checkpoint,
/// also when resumed. The search itself is the one a dynamic run makes.
@Suite struct StaticIndicesTests {
    static let oboe = Paths.target("oboe-C5.wav")
    static let args = ["--carriers", "2", "--generations", "7", "--population", "16", "--seed", "6"]

    @Test func theResultIsTheGAChampion() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.path("static.sqlite")
        let text = try RunOutput.evolve([Self.oboe, "--db", db, "--out-dir", dir.path("s"), "--quiet", "--static-indices"] + Self.args)
        let patch = try RunOutput.file(dir.path("s/oboe-C5.champion.json"))
        let history = try RunOutput.history(db)
        let best = try #require(history.last?.jsonDouble("best"))
        try #require(history.last?.jsonInt("generation") == 7)

        // the patch: the GA champion's err, fixed indices
        #expect(patch.jsonDouble("err") == best, "err \(patch.jsonDouble("err") ?? -1), the GA's best \(best)")
        #expect(patch.jsonInt("version") == 3 && patch["static_err"] == nil)
        let units = try #require(patch["units"] as? [[String: Any]])
        #expect(units.count == 2 && units.allSatisfy { $0["index1_envelope"] == nil && $0["index2_envelope"] == nil })

        // the report: Horner's err line, no refinement line
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("err         \(String(format: "%.5f", best)) (render \(String(format: "%.5f", try #require(patch.jsonDouble("render_err")))), bands ") == true,
                "\(lines.first ?? "")")
        #expect(lines.count == 2 + 2 + 1 + 3 && !lines.contains { $0.hasPrefix("refinement") }, "\(text.stdout)")
        // the checkpoint: no stage
        #expect(try storedRefinementSteps(db).count == 0)
        let run = try RunOutput.summary(db)
        #expect(run["dynamic"] as? Bool == false && run["refinement"] is NSNull)

        // --json: static_err is err, no stage
        let json = try RunOutput.object(try RunOutput.evolve([Self.oboe, "--db", dir.path("json.sqlite"), "--out-dir", dir.path("j"),
                                                              "--quiet", "--json", "--static-indices"] + Self.args).stdout)
        #expect(json.jsonDouble("err") == best && json.jsonDouble("static_err") == best)
        #expect(json["dynamic"] as? Bool == false && json.jsonInt("refinement_steps") == 0)
        #expect(json.jsonDouble("refinement_s") == 0 && json["refinement_finished"] as? Bool == false)

        // the same search as a dynamic run's: the stage only follows it
        let dynamic = dir.path("dynamic.sqlite")
        _ = try RunOutput.evolve([Self.oboe, "--db", dynamic, "--out-dir", dir.path("d"), "--quiet"] + Self.args)
        #expect(try RunOutput.history(dynamic).map { $0.jsonDouble("best") } == history.map { $0.jsonDouble("best") })
        #expect(try storedRefinementSteps(dynamic).count > 1)

        // resumed, it stays static
        let resumed = try fmevolve("resume", db, "--more", "2", "--quiet", "--json", "--out-dir", dir.path("r"))
        try #require(resumed.status == 0, "\(resumed.stderr)")
        let report = try RunOutput.object(resumed.stdout)
        let more = try RunOutput.history(db)
        #expect(more.last?.jsonInt("generation") == 9 && report.jsonDouble("err") == more.last?.jsonDouble("best"))
        #expect(report["dynamic"] as? Bool == false && report.jsonDouble("static_err") == report.jsonDouble("err"))
        #expect(try storedRefinementSteps(db).count == 0)
        #expect(try RunOutput.file(dir.path("r/oboe-C5.champion.json"))["static_err"] == nil)
    }
}
