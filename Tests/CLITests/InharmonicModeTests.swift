import AudioIO
import Foundation
import Testing
import TestSupport

/// Issue 14, "match it": the inharmonic mode from the command line — chosen for recordings that
/// are not harmonic enough (and only for them), forced either way, resumed bit-identically,
/// exported as what plays its ratios, and matching a tone of known non-integer ratios.
@Suite struct InharmonicModeTests {
    static let cowbell = Paths.shared.appendingPathComponent("targets/inharmonic/cowbell.wav").path

    static func evolve(_ file: String, _ dir: TemporaryDirectory, _ name: String, _ extra: [String]) throws -> [String: Any] {
        let r = try fmevolve(arguments: ["evolve", file, "--population", "24", "--carriers", "2", "--db", dir.path("\(name).sqlite"),
                                         "--out-dir", dir.path(name), "--quiet", "--json"] + extra)
        try #require(r.status == 0, "\(r.stderr)")
        return try RunOutput.object(r.stdout)
    }

    /// Every bundled note and the rubbed glass are harmonic enough: the mode stays harmonic for
    /// them (their results do not change).
    @Test func bundledNotesStayHarmonic() throws {
        let files = try Paths.manifest().map(\.file)
            + [Paths.shared.appendingPathComponent("targets/inharmonic/glass-rub.wav").path]
        for file in files {
            let r = try fmevolve("analyze", file, "--json")
            try #require(r.status == 0, "\(r.stderr)")
            let h = try #require(try RunOutput.object(r.stdout)["harmonicity"] as? [String: Any])
            #expect(h["harmonic_enough"] as? Bool == true, "\(file): \(h)")
        }
    }

    /// A cowbell is matched in the inharmonic mode by default (real ratios in the patch file,
    /// version 4), in the harmonic one with --harmonic; --inharmonic forces the mode on a
    /// harmonic note; --harmonic with --inharmonic is refused.
    @Test func theModeIsChosenOrForced() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let auto = try Self.evolve(Self.cowbell, dir, "auto", ["--generations", "3"])
        #expect(auto["mode"] as? String == "inharmonic")
        let patch = try RunOutput.object(String(contentsOfFile: dir.path("auto/cowbell.champion.json"), encoding: .utf8))
        #expect(patch["version"] as? Int == 4 && patch["inharmonic"] as? Bool == true)
        let forced = try Self.evolve(Self.cowbell, dir, "harmonic", ["--generations", "3", "--harmonic", "--static-indices"])
        #expect(forced["mode"] as? String == "harmonic")
        let trumpet = try Self.evolve(Paths.target("trumpet-A4.wav"), dir, "trumpet", ["--generations", "3", "--inharmonic"])
        #expect(trumpet["mode"] as? String == "inharmonic")
        let both = try fmevolve("evolve", Self.cowbell, "--harmonic", "--inharmonic", "--db", dir.path("x.sqlite"))
        #expect(both.status != 0 && both.stderrLines.last?.contains("give --inharmonic or --harmonic, not both") == true, "\(both.stderr)")
    }

    /// 30 generations at once, 12 then `resume` to 30, and 30 with one thread: the same patch.
    @Test func resumesBitIdenticallyWhateverTheThreads() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.evolve(Self.cowbell, dir, "whole", ["--generations", "30", "--seed", "4"])
        _ = try Self.evolve(Self.cowbell, dir, "parts", ["--generations", "12", "--seed", "4"])
        let r = try fmevolve("resume", dir.path("parts.sqlite"), "--generations", "30", "--quiet", "--out-dir", dir.path("parts"))
        try #require(r.status == 0, "\(r.stderr)")
        _ = try Self.evolve(Self.cowbell, dir, "one", ["--generations", "30", "--seed", "4", "--threads", "1"])
        // the patch files without their `run` (wall time and database differ), as sorted JSON
        func patch(_ name: String) throws -> String {
            var p = try RunOutput.object(String(contentsOfFile: dir.path("\(name)/cowbell.champion.json"), encoding: .utf8))
            p["run"] = nil
            return String(decoding: try JSONSerialization.data(withJSONObject: p, options: [.sortedKeys]), as: UTF8.self)
        }
        let whole = try patch("whole")
        #expect(whole.contains("\"units\""))
        #expect(try patch("parts") == whole)
        #expect(try patch("one") == whole)
    }

    /// kill -9 of an inharmonic run (decaying units in every stored population) after generation
    /// 15 of 120, then `resume`: the champion's patch is the uninterrupted run's.
    @Test func survivesKillNine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.evolve(Self.cowbell, dir, "whole", ["--generations", "120", "--seed", "6"])
        let db = dir.path("killed.sqlite")
        let p = try Background(Paths.executable, ["evolve", Self.cowbell, "--population", "24", "--carriers", "2", "--db", db,
                                                  "--out-dir", dir.path("killed"), "--quiet", "--generations", "120", "--seed", "6"],
                               in: dir)
        _ = eventually(within: 60) { !p.process.isRunning || ((try? storedGenerations(db))?.newest ?? -1) >= 15 }
        p.signal(SIGKILL)
        _ = p.wait()
        try #require(p.process.terminationReason == .uncaughtSignal, "the run ended before the kill: \(p.stderr)")
        let r = try fmevolve("resume", db, "--quiet", "--out-dir", dir.path("killed"))
        try #require(r.status == 0, "\(r.stderr)")
        func patch(_ name: String) throws -> String {
            var p = try RunOutput.object(String(contentsOfFile: dir.path("\(name)/cowbell.champion.json"), encoding: .utf8))
            p["run"] = nil
            return String(decoding: try JSONSerialization.data(withJSONObject: p, options: [.sortedKeys]), as: UTF8.self)
        }
        #expect(try patch("killed") == patch("whole"))
    }

    /// `export --all` writes what plays real ratios (json, wav, csd, scd) and says what it left out; a
    /// format that does not play them is refused in one line.
    @Test func exportWritesWhatPlaysRealRatios() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.evolve(Self.cowbell, dir, "c", ["--generations", "3"])
        let all = try fmevolve("export", dir.path("c.sqlite"), "--all", "--out", dir.path("all"))
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stderrLines == ["fmevolve: note: pset, syx, svg do not yet play non-integer ratios: this inharmonic patch is exported as json, wav, csd, scd only"])
        #expect(FileManager.default.fileExists(atPath: dir.path("all/cowbell.champion.wav")))
        #expect(FileManager.default.fileExists(atPath: dir.path("all/cowbell.csd")))
        let syx = try fmevolve("export", dir.path("c.sqlite"), "--format", "syx", "--out", dir.path("syx"))
        #expect(syx.status != 0)
        #expect(syx.stderrLines == ["fmevolve: error: the syx export does not yet play non-integer ratios: this inharmonic patch is exported as json, wav, csd, scd only"])
        // the patch file plays the same WAV
        let again = try fmevolve("render", dir.path("all/cowbell.champion.json"), "-o", dir.path("again.wav"))
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try AudioReader.read(path: dir.path("again.wav")).samples == AudioReader.read(path: dir.path("all/cowbell.champion.wav")).samples)
    }

    /// csound and scsynth play the inharmonic patch's .csd (one phasor per oscillator, its decaying
    /// indices as linseg envelopes) and .scd as fmevolve renders it — csound: relative RMS ≤ 1e-4 (fmevolve interpolates
    /// the moving components' amplitudes between knots 64 samples apart: PartialRendererTests
    /// bounds that at 1e-4 of full scale), and fmscore's err_bands of the two renders within 0.01.
    @Test func csoundPlaysTheInharmonicPatch() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.evolve(Self.cowbell, dir, "c", ["--generations", "30"])
        let x = try fmevolve("export", dir.path("c.sqlite"), "--format", "csd", "--format", "scd", "--format", "json", "--out", dir.path("x"))
        try #require(x.status == 0, "\(x.stderr)")
        let patch = try String(contentsOfFile: dir.path("x/cowbell.champion.json"), encoding: .utf8)
        #expect(patch.contains("index1_envelope"), "the champion's indices do not decay: the test would not cover them")
        let rate = try Engines.csdSampleRate(dir.path("x/cowbell.csd"))
        let c = try Engines.compareWithFMEvolve(dir.path("x/cowbell.csd"), patch: dir.path("x/cowbell.champion.json"),
                                                out: dir.path("x"), sampleRate: rate)
        print("cowbell (inharmonic): csound at \(rate) Hz vs fmevolve render: \(c)")
        #expect(c.lengthDifference == 0, "\(c)")
        #expect(c.relativeRMS <= 1e-4, "\(c)")
        let ours = try #require(try fmscoreReport(target: Self.cowbell, candidate: dir.path("x/fmevolve.wav")).jsonDouble("err_bands"))
        let theirs = try #require(try fmscoreReport(target: Self.cowbell, candidate: dir.path("x/csound.wav")).jsonDouble("err_bands"))
        #expect(abs(ours - theirs) <= 0.01, "err_bands: fmevolve \(ours), csound \(theirs)")
        // scsynth plays the compiled SynthDef (SinOsc at f0 times each real ratio): whole control
        // blocks, relative RMS ≤ 0.01 (its phase increments are truncated: EngineRenderTests)
        let scRate = try Engines.scdSampleRate(dir.path("x/cowbell.scd"))
        let sc = try Engines.compareWithFMEvolve(dir.path("x/cowbell.osc"), patch: dir.path("x/cowbell.champion.json"),
                                                 out: dir.path("x"), sampleRate: scRate)
        print("cowbell (inharmonic): scsynth at \(scRate) Hz vs fmevolve render: \(sc)")
        #expect((0...64).contains(sc.lengthDifference), "\(sc)")
        #expect(sc.relativeRMS <= 0.01, "\(sc)")
        let scsynth = try #require(try fmscoreReport(target: Self.cowbell, candidate: dir.path("x/scsynth.wav")).jsonDouble("err_bands"))
        #expect(abs(ours - scsynth) <= 0.01, "err_bands: fmevolve \(ours), scsynth \(scsynth)")
    }

    /// Acceptance 1 (static part): a tone of one unit c = 1, m = 1.4, I = 2 at 300 Hz with a
    /// decaying envelope, matched with --inharmonic --f0 300 (2 carriers, 150 generations):
    /// fmscore's err_bands of the render ≤ 0.03 and a unit at c = 1 ± 1 %, m = 1.4 ± 1 %.
    @Test func aBellToneOfKnownRatiosIsMatched() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let sr = 44100
        let x = (0..<(3 * sr / 2)).map { i -> Double in
            let t = Double(i) / Double(sr), theta = 2 * Double.pi * 300 * t
            return 0.5 * min(1, t / 0.005) * exp(-t) * sin(theta + 2 * sin(1.4 * theta))
        }
        let file = dir.path("bell.wav")
        try AudioWriter.writeWAV(path: file, samples: x, sampleRate: sr)
        let report = try Self.evolve(file, dir, "b", ["--generations", "150", "--inharmonic", "--f0", "300", "--population", "60"])
        let scored = try #require(try fmscoreReport(target: file, candidate: dir.path("b/bell.champion.wav")).jsonDouble("err_bands"))
        #expect(scored <= 0.03, "err_bands \(scored)")
        let patch = try RunOutput.object(String(contentsOfFile: dir.path("b/bell.champion.json"), encoding: .utf8))
        let units = try #require(patch["units"] as? [[String: Any]])
        let found = units.contains { u in
            guard let c = u.jsonDouble("carrier"), let m1 = u.jsonDouble("modulator1"), let m2 = u.jsonDouble("modulator2") else { return false }
            return abs(c - 1) <= 0.01 && (abs(m1 - 1.4) <= 0.014 || abs(m2 - 1.4) <= 0.014)
        }
        #expect(found, "\(units.map { [$0["carrier"], $0["modulator1"], $0["modulator2"]] }) (report \(report["units"] ?? ""))")
    }
}
