import Foundation
import Testing
import TestSupport

/// The result `evolve` prints on stdout, as text and as `--json`, agrees with the patch file it
/// wrote and with the checkpoint (`fmevolve runs --json`). The runs are dynamic (the default):
/// the GA, then the refinement stage; `--static-indices` reports are StaticIndicesTests'.
@Suite struct ReportTests {
    static let oboe = Paths.target("oboe-C5.wav")

    /// A unit as the report prints it: `c=1 m1=1 m2=16 I1=2.038 I2=0.033 parallel`.
    static var unit: Regex<AnyRegexOutput> { try! Regex(#"c=(\d+) m1=(\d+) m2=(\d+) I1=(\d+(?:\.\d{1,3})?) I2=(\d+(?:\.\d{1,3})?) (parallel|cascade)"#) }

    /// Whether `text` describes the patch file's `unit` (indices to the 3 decimals printed).
    static func describes(_ text: Substring, _ unit: [String: Any]) -> Bool {
        guard let m = text.wholeMatch(of: Self.unit) else { return false }
        func s(_ i: Int) -> String { String(m.output[i].substring!) }
        return Int(s(1)) == unit.jsonInt("carrier") && Int(s(2)) == unit.jsonInt("modulator1")
            && Int(s(3)) == unit.jsonInt("modulator2")
            && abs(Double(s(4))! - unit.jsonDouble("index1")!) <= 0.0005 + 1e-12       // rad, rounding to 3 decimals
            && abs(Double(s(5))! - unit.jsonDouble("index2")!) <= 0.0005 + 1e-12
            && s(6) == unit.jsonString("topology")
    }

    @Test func textReport() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.path("r.sqlite")
        let r = try RunOutput.evolve([Self.oboe, "--carriers", "2", "--generations", "5", "--population", "16", "--db", db, "--quiet"])
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        try #require(lines.count == 3 + 2 + 1 + 3 + 1 && lines.last == "", "\(r.stdout)")
        let patchPath = dir.path("oboe-C5.champion.json"), wavPath = dir.path("oboe-C5.champion.wav")
        let patch = try RunOutput.file(patchPath)
        let summary = try RunOutput.summary(db)
        let stage = try #require(summary["refinement"] as? [String: Any], "no refinement stage stored")

        // err: the static start of the refined structure, the refinement's, the render's
        let err = try #require(lines[0].wholeMatch(of: try Regex(
            #"err         (\d+\.\d{5}) static -> (\d+\.\d{5}) dynamic \(render (\d+\.\d{5}), bands (\d+\.\d{4})\)"#)), "\(lines[0])")
        #expect(String(err.output[1].substring!) == String(format: "%.5f", try #require(patch.jsonDouble("static_err"))))
        #expect(String(err.output[2].substring!) == String(format: "%.5f", patch.jsonDouble("err")!))
        #expect(String(err.output[3].substring!) == String(format: "%.5f", patch.jsonDouble("render_err")!))
        // the render's band error, as the independent scorer measures it (agreeing within 0.01)
        let bands = try #require(try fmscoreReport(target: Self.oboe, candidate: wavPath).jsonDouble("err_bands"))
        #expect(abs(Double(String(err.output[4].substring!))! - bands) <= 0.01, "fmscore err_bands \(bands)")
        #expect(patch.jsonDouble("err") == stage.jsonDouble("err") && patch.jsonDouble("static_err") == stage.jsonDouble("static_err"))

        let search = try #require(lines[1].wholeMatch(of: try Regex(
            #"search      (\d+) generations, (\d+) evaluations in (\d+\.\d) s this session \((\d+) eval/s\), stopped by (.+)"#)), "\(lines[1])")
        #expect(Int(search.output[1].substring!) == 5 && summary.jsonInt("generations") == 5)
        #expect(Int(search.output[2].substring!) == summary.jsonInt("evaluations"))
        #expect(Int(search.output[2].substring!) == (patch["run"] as? [String: Any])?.jsonInt("evaluations"))
        #expect(search.output[5].substring! == "generations")

        // the stage: its steps (the checkpoint's newest), finished (a --generations run's stage
        // runs to the end), and the patch's index breakpoints
        let refinement = try #require(lines[2].wholeMatch(of: try Regex(
            #"refinement (\d+) steps in (\d+\.\d) s, finished, (\d+) index breakpoints"#)), "\(lines[2])")
        let units = try #require(patch["units"] as? [[String: Any]])
        let breakpoints = try units.reduce(0) { n, u in
            try n + #require(u["index1_envelope"] as? [[Double]]).count + #require(u["index2_envelope"] as? [[Double]]).count
        }
        #expect(Int(refinement.output[1].substring!) == stage.jsonInt("step"))
        #expect(String(refinement.output[2].substring!) == String(format: "%.1f", try #require(stage.jsonDouble("seconds"))))
        #expect(stage["finished"] as? Bool == true)
        #expect(Int(refinement.output[3].substring!) == breakpoints)

        #expect(units.count == 2)
        for (i, u) in units.enumerated() {
            let prefix = "unit \(i + 1)      "
            #expect(lines[3 + i].hasPrefix(prefix) && Self.describes(lines[3 + i].dropFirst(prefix.count), u),
                    "\(lines[3 + i]) vs \(u.filter { !$0.key.hasSuffix("envelope") })")
        }
        // the pitch: the oboe's vibrato, as the patch's pitch curve holds it
        let pitch = try #require(patch["pitch"] as? [String: Any], "the oboe's patch has no pitch curve")
        let vibrato = try #require(pitch["vibrato"] as? [String: Any])
        let said = try #require(lines[5].wholeMatch(of: try Regex(
            #"pitch       glide of (\d+) breakpoints?, [+−]\d+…[+−]\d+ cents; vibrato (\d+\.\d\d) Hz ±(\d+\.\d) cents from (\d+\.\d\d) s \(pitch_err (\d+\.\d\d) cents\)"#)),
            "\(lines[5])")
        // the render's pitch error, as the independent scorer measures it (to the 0.01 cent printed)
        let scored = try #require(try fmscoreReport(target: Self.oboe, candidate: wavPath).jsonDouble("pitch_err_cents"))
        #expect(abs(Double(String(said.output[5].substring!))! - scored) <= 0.005 + 0.01, "fmscore: \(scored)")
        #expect(Int(said.output[1].substring!) == (pitch["glide"] as? [[Double]])?.count)
        #expect(String(said.output[2].substring!) == String(format: "%.2f", try #require(vibrato.jsonDouble("rate_hz"))))
        #expect(lines[6] == "checkpoint  \(db)")
        #expect(lines[7] == "patch       \(patchPath)")
        #expect(lines[8] == "wav         \(wavPath)")
        for p in [db, patchPath, wavPath] { #expect(FileManager.default.fileExists(atPath: p), "\(p)") }
    }

    @Test func jsonReport() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.path("j.sqlite")
        let r = try RunOutput.evolve([Self.oboe, "--carriers", "2", "--generations", "6", "--population", "16", "--db", db,
                                      "--quiet", "--json"])
        #expect(r.stdout.split(separator: "\n").count == 1)                       // one object, one line
        let report = try RunOutput.object(r.stdout)
        #expect(Set(report.keys) == ["target", "f0", "err", "render_err", "err_bands", "generations", "evaluations", "seconds", "evals_per_s",
                                     "analysis_s", "stopped_by", "patch", "wav", "database", "units",
                                     "static_err", "dynamic", "refinement_steps", "refinement_s", "refinement_finished",
                                     "refinement_kept_static", "pitch_curve", "pitch_err_cents", "mode"])
        let patchPath = try #require(report.jsonString("patch"))
        let patch = try RunOutput.file(patchPath)
        let summary = try RunOutput.summary(db)
        let history = try RunOutput.history(db)

        #expect(report.jsonString("target") == Self.oboe)
        #expect(report.jsonDouble("f0") == patch.jsonDouble("f0"))
        #expect(report.jsonDouble("err") == patch.jsonDouble("err"))
        #expect(report.jsonDouble("render_err") == patch.jsonDouble("render_err"))
        // the refinement stage: as the patch and the checkpoint have it
        let stage = try #require(summary["refinement"] as? [String: Any], "no refinement stage stored")
        let staticErr = try #require(patch.jsonDouble("static_err"))
        #expect(report.jsonDouble("static_err") == staticErr)
        #expect(report.jsonDouble("err") == stage.jsonDouble("err") && report.jsonDouble("static_err") == stage.jsonDouble("static_err"))
        #expect(report["dynamic"] as? Bool == true)
        #expect(report.jsonInt("refinement_steps") == stage.jsonInt("step") && (report.jsonInt("refinement_steps") ?? 0) >= 1)
        #expect(report.jsonDouble("refinement_s") == stage.jsonDouble("seconds"))
        #expect(report["refinement_finished"] as? Bool == true && stage["finished"] as? Bool == true)
        #expect(report["refinement_kept_static"] as? Bool == false)          // the refined patch beat the static one
        #expect(report.jsonInt("generations") == 6 && summary.jsonInt("generations") == 6)
        #expect(report.jsonInt("evaluations") == summary.jsonInt("evaluations"))
        #expect(report.jsonString("stopped_by") == "generations")
        #expect(report.jsonString("database") == db)
        #expect(patchPath == dir.path("oboe-C5.champion.json"))
        #expect(report.jsonString("wav") == dir.path("oboe-C5.champion.wav"))
        for p in [db, patchPath, report.jsonString("wav") ?? ""] { #expect(FileManager.default.fileExists(atPath: p), "\(p)") }
        #expect(try #require(report.jsonDouble("analysis_s")) > 0)
        // pitch_err_cents and err_bands: the render's pitch and band errors as the independent
        // scorer measures them
        let scored = try fmscoreReport(target: Self.oboe, candidate: dir.path("oboe-C5.champion.wav"))
        let pitchErr = try #require(report.jsonDouble("pitch_err_cents")), scoredPitch = try #require(scored.jsonDouble("pitch_err_cents"))
        #expect(abs(pitchErr - scoredPitch) <= 0.01, "fmevolve \(pitchErr), fmscore \(scoredPitch)")
        let bands = try #require(report.jsonDouble("err_bands")), scoredBands = try #require(scored.jsonDouble("err_bands"))
        #expect(abs(bands - scoredBands) <= 0.01, "fmevolve \(bands), fmscore \(scoredBands)")

        // evals_per_s is this session's evaluations (those after the initial population) over its
        // seconds; the two are read from the clock one after the other (seconds first), so
        // rate × seconds is that count, or a little less
        let seconds = try #require(report.jsonDouble("seconds")), rate = try #require(report.jsonDouble("evals_per_s"))
        let initial = try #require(history.first?.jsonInt("evaluations")), total = try #require(report.jsonInt("evaluations"))
        let session = Double(total - initial)
        #expect(seconds > 0 && rate * seconds <= session * (1 + 1e-9) && rate * seconds >= 0.5 * session,
                "\(rate) eval/s × \(seconds) s, \(session) evaluations")

        let units = try #require(report["units"] as? [String]), patchUnits = try #require(patch["units"] as? [[String: Any]])
        #expect(units.count == 2 && patchUnits.count == 2)
        for (text, u) in zip(units, patchUnits) {
            #expect(Self.describes(Substring(text), u), "\(text) vs \(u.filter { !$0.key.hasSuffix("envelope") })")
        }
    }
}
