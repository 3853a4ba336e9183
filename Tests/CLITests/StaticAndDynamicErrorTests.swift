import Foundation
import Testing
import TestSupport

/// A dynamic run reports both errors — the static start of the refined structure and the
/// refinement's — on its result line (`err S static -> D dynamic (render R)`) and in `--json`
/// (static_err, err), the same in both (two runs of the same seed), as the patch has them, with
/// S ≥ D; its WAV measures what the refinement fitted: render within 0.005 of D (the refined
/// patches of the eight bundled notes measure 0.0003–0.0041 from their fit, README "Static vs
/// dynamic FM"; a static champion within 0.0025, EvolveCommandTests).
@Suite struct StaticAndDynamicErrorTests {
    static var errLine: Regex<(Substring, Substring, Substring, Substring)> { #/err         (\d+\.\d{5}) static -> (\d+\.\d{5}) dynamic \(render (\d+\.\d{5}), bands \d+\.\d{4}\)/# }

    @Test(arguments: ["oboe-C5", "violin-A4"])
    func bothErrorsStaticNotBelowDynamic(_ note: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let args = [Paths.target("\(note).wav"), "--carriers", "2", "--generations", "10", "--population", "24", "--seed", "3", "--quiet"]
        let text = try RunOutput.evolve(args + ["--db", dir.path("t.sqlite"), "--out-dir", dir.path("t")])
        let json = try RunOutput.object(try RunOutput.evolve(args + ["--db", dir.path("j.sqlite"), "--out-dir", dir.path("j"), "--json"]).stdout)
        let patch = try RunOutput.file(dir.path("j/\(note).champion.json"))

        let line = try #require(text.stdout.split(separator: "\n").first.map(String.init))
        let m = try #require(line.wholeMatch(of: Self.errLine), "\(line)")
        let shownStatic = try #require(Double(m.output.1)), shownDynamic = try #require(Double(m.output.2))
        #expect(shownStatic >= shownDynamic, "\(line)")

        let staticErr = try #require(json.jsonDouble("static_err")), err = try #require(json.jsonDouble("err"))
        let render = try #require(json.jsonDouble("render_err"))
        #expect(staticErr >= err, "static_err \(staticErr), err \(err)")
        #expect(json["dynamic"] as? Bool == true)
        #expect(String(m.output.1) == String(format: "%.5f", staticErr) && String(m.output.2) == String(format: "%.5f", err)
                && String(m.output.3) == String(format: "%.5f", render), "\(line) vs \(json)")
        #expect(patch.jsonDouble("static_err") == staticErr && patch.jsonDouble("err") == err && patch.jsonDouble("render_err") == render)
        #expect(abs(render - err) <= 0.005, "render_err \(render), err \(err)")
    }
}
