import Foundation
import Testing
import TestSupport

/// Acceptance of the synth exports: for the trumpet and the clarinet, one `fmevolve export --all`
/// writes every format, and each is rendered by its real engine — csound, scsynth (NRT, headless)
/// for the SynthDef and for the FM7 mapping of the norns preset, and Dexed through dexed-py (GPL,
/// in the test-only virtualenv .venv-dexed that 'make test' creates) — and scored by fmscore.
@Suite(.serialized) struct EngineRenderTests {
    struct Scores: CustomStringConvertible {
        var fmevolve = 0.0, csound = 0.0, scsynth = 0.0, fm7 = 0.0, dexed = 0.0
        var description: String {
            String(format: "fmevolve %.4f, csound %.4f, scsynth %.4f, FM7 %.4f, Dexed %.4f", fmevolve, csound, scsynth, fm7, dexed)
        }
    }

    static func renderAll(_ note: String) throws -> Scores {
        let csound = try #require(which("csound"), "csound is not installed; 'make test' installs it")
        let scsynth = try #require(which("scsynth"), "scsynth is not installed; 'make test' installs supercollider-server")
        let dexedPython = Paths.root.appendingPathComponent(".venv-dexed/bin/python").path
        try #require(FileManager.default.isExecutableFile(atPath: dexedPython), "dexed-py is not installed; 'make test' creates .venv-dexed")
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try exportFixture(dir, target: "\(note).wav", generations: 300)
        let out = dir.path("all")
        let r = try fmevolve("export", db, "--all", "--out", out)
        try #require(r.status == 0, "\(r.stderr)")
        for file in ["\(note).champion.json", "\(note).champion.wav", "\(note).csd", "\(note).scd", "\(note).scsyndef", "\(note).osc",
                     "fm7-01.pset", "fm7-01.scsyndef", "fm7-01.osc", "\(note).syx", "\(note).svg"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(file)"), "--all did not write \(file)")
        }
        // the cartridge, checked independently of the writer: size, header, checksum, end
        let syx = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(note).syx")))
        #expect(syx.count == 4104)
        #expect(Array(syx.prefix(6)) == [0xF0, 0x43, 0x00, 0x09, 0x20, 0x00] && syx.last == 0xF7)
        let sum = syx[6..<4102].reduce(0) { $0 + Int($1) }
        #expect(Int(syx[4102]) == (128 - sum % 128) % 128, "bad checksum")

        let target = Paths.target("\(note).wav")
        var s = Scores()
        s.fmevolve = try fmscore(target: target, candidate: "\(out)/\(note).champion.wav")
        let c = try run(csound, ["-d", "-W", "-f", "-o", "\(out)/csound.wav", "\(out)/\(note).csd"])
        try #require(c.status == 0, "\(c.stderr.suffix(600))")
        s.csound = try fmscore(target: target, candidate: "\(out)/csound.wav")
        for (score, wav, result) in [("\(note).osc", "scsynth.wav", \Scores.scsynth), ("fm7-01.osc", "fm7.wav", \Scores.fm7)] {
            let p = try run(scsynth, ["-o", "1", "-D", "0", "-N", "\(out)/\(score)", "_", "\(out)/\(wav)", "176400", "WAV", "float"])
            try #require(p.status == 0, "\(p.stdout.suffix(600))")
            s[keyPath: result] = try fmscore(target: target, candidate: "\(out)/\(wav)")
        }
        let d = try run(dexedPython, [Paths.root.appendingPathComponent("scripts/dexed-render.py").path, "\(out)/\(note).syx", "\(out)/\(note).syx.json", "\(out)/dexed.wav"])
        try #require(d.status == 0, "\(d.stderr.suffix(600))")
        s.dexed = try fmscore(target: target, candidate: "\(out)/dexed.wav")
        print("\(note): \(s)")
        return s
    }

    @Test(arguments: ["trumpet-A4", "clarinet-D4"])
    func everyEngineRendersTheMatch(note: String) throws {
        let s = try Self.renderAll(note)
        #expect(abs(s.csound - s.fmevolve) <= 0.01, "\(s)")
        #expect(abs(s.scsynth - s.fmevolve) <= 0.01, "\(s)")
        #expect(s.dexed <= s.fmevolve + 0.10, "\(s)")
        // the FM7 mapping has two units and ADSR envelopes: a recognisable match, not an exact one
        #expect(s.fm7 < 0.5, "\(s)")
    }
}
