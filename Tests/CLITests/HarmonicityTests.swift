import Foundation
import Testing
import TestSupport

/// Issue 14, "measure and say it": `analyze` measures how harmonic a recording is as fmscore
/// does, and a recording that is not harmonic enough for integer-ratio FM is said so in one line
/// on stderr, by `analyze` and by `evolve`.
@Suite struct HarmonicityTests {
    static func path(_ name: String) -> String {
        name.contains("/") ? Paths.shared.appendingPathComponent("targets/\(name)").path : Paths.target(name)
    }

    /// fmscore's harmonicity, to 0.002, for instrument notes, a rubbed glass (harmonic), a
    /// tabla stroke (harmonic), a cowbell and a tom (not), and a struck bell (far from it).
    @Test(arguments: [("trumpet-A4.wav", true), ("inharmonic/glass-rub.wav", true), ("inharmonic/tabla-tun3.wav", true),
                      ("inharmonic/cowbell.wav", false), ("inharmonic/tom-hi-soft.wav", false), ("inharmonic/till-bell.wav", false)])
    func analyzeMeasuresWhatFmscoreMeasures(note: String, harmonic: Bool) throws {
        let file = Self.path(note)
        let r = try fmevolve("analyze", file, "--json")
        try #require(r.status == 0, "\(r.stderr)")
        let h = try #require(try RunOutput.object(r.stdout)["harmonicity"] as? [String: Any])
        let share = try #require(h.jsonDouble("share"))
        let scored = try #require(try fmscoreReport(target: file, candidate: file).jsonDouble("harmonicity"))
        #expect(abs(share - scored) <= 0.002, "fmevolve \(share), fmscore \(scored)")
        #expect(h["harmonic_enough"] as? Bool == harmonic)
        let partials = try #require(h["partials"] as? [[String: Any]])
        // one plain line on stderr exactly when the note is not harmonic enough
        if harmonic {
            #expect(r.stderr.isEmpty, "\(r.stderr)")
        } else {
            let name = URL(fileURLWithPath: file).lastPathComponent
            #expect(r.stderrLines.count == 1 && r.stderrLines[0].hasPrefix("fmevolve: note: \(name) is not harmonic: "), "\(r.stderr)")
            #expect(r.stderr.contains("fmevolve matches it in the inharmonic mode"))
            #expect(!partials.isEmpty && partials.allSatisfy { ($0.jsonDouble("db") ?? 1) <= 0 && ($0.jsonDouble("db") ?? -99) >= -30 })
        }
    }

    /// `evolve` says it too, before its progress, even with --quiet, and reports the render's
    /// band error beside err.
    @Test func evolveSaysSoAndReportsTheBandError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = Self.path("inharmonic/cowbell.wav")
        let r = try fmevolve("evolve", file, "--static-indices", "--generations", "5", "--population", "16", "--carriers", "1",
                             "--db", dir.path("c.sqlite"), "--quiet", "--json")
        try #require(r.status == 0, "\(r.stderr)")
        #expect(r.stderrLines.count == 1 && r.stderrLines[0].hasPrefix("fmevolve: note: cowbell.wav is not harmonic: 93 % "), "\(r.stderr)")
        let report = try RunOutput.object(r.stdout)
        let bands = try #require(report.jsonDouble("err_bands"))
        let scored = try #require(try fmscoreReport(target: file, candidate: dir.path("cowbell.champion.wav")).jsonDouble("err_bands"))
        #expect(abs(bands - scored) <= 0.01, "fmevolve \(bands), fmscore \(scored)")
    }
}
