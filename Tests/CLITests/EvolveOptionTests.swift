import AudioIO
import Foundation
import Testing
import TestSupport

/// `evolve`'s options do what the README says: --topology, --f0, the default --db and --out-dir.
/// The runs are the GA's alone (`--static-indices`): these options shape the search and the
/// files, and the refinement stage only chooses among the search's structures.
@Suite struct EvolveOptionTests {
    static let oboe = Paths.target("oboe-C5.wav")
    static let search = ["--static-indices"]

    /// A short run in `dir`; returns the patch file's JSON object.
    static func patch(_ dir: TemporaryDirectory, _ tag: String, _ extra: [String], target: String = oboe) throws -> [String: Any] {
        let r = try RunOutput.evolve([target, "--generations", "4", "--population", "16", "--db", dir.path("\(tag)/run.sqlite"),
                                      "--quiet", "--json"] + Self.search + extra)
        let report = try RunOutput.object(r.stdout)
        return try RunOutput.file(try #require(report.jsonString("patch")))
    }

    /// Every unit of the champion has the topology asked for (3 units, so that a search that
    /// ignored the option would give a mixed champion: with "any", 3 units share one topology
    /// with probability 1/4).
    @Test(arguments: ["parallel", "cascade"])
    func topologyIsHonoured(_ topology: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for seed in ["1", "2"] {
            let patch = try Self.patch(dir, "s\(seed)", ["--topology", topology, "--carriers", "3", "--seed", seed])
            let units = try #require(patch["units"] as? [[String: Any]])
            #expect(units.count == 3)
            #expect(units.map { $0.jsonString("topology") } == Array(repeating: topology, count: 3), "seed \(seed)")
        }
    }

    /// --f0 is used as given (not re-estimated) and sets the harmonic count:
    /// K = every k with k·f0 < min(sr/2, 20 kHz), at most 256.
    @Test func givenF0IsUsed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // oboe-C5 (44.1 kHz, estimated f0 522.27 Hz): band 20 kHz
        //   500 Hz: 39 (40·500 = 20000 is not below 20 kHz); 250 Hz: 79; 70 Hz: 285 > 256, so 256
        for (f0, K) in [(500.0, 39), (250.0, 79), (70.0, 256)] {
            let r = try RunOutput.evolve([Self.oboe, "--f0", String(f0), "--generations", "2", "--population", "8",
                                          "--carriers", "1", "--db", dir.path("f\(Int(f0))/run.sqlite"), "--quiet", "--json"] + Self.search)
            let report = try RunOutput.object(r.stdout)
            #expect(report.jsonDouble("f0") == f0)
            let patch = try RunOutput.file(try #require(report.jsonString("patch")))
            #expect(patch.jsonDouble("f0") == f0)
            let analysis = try #require(patch["analysis"] as? [String: Any])
            #expect(analysis.jsonString("f0_source") == "given")
            #expect(analysis.jsonInt("harmonics") == K, "--f0 \(f0)")
        }
        // a 32 kHz recording: band = Nyquist 16 kHz; 400 Hz: 39 (40·400 = 16000 is not below)
        let tone = dir.path("tone32k.wav")
        try AudioWriter.writeWAV(path: tone, samples: Tones.harmonic(f0: 400, amplitudes: [0.4, 0.2, 0.1], sampleRate: 32000, seconds: 1),
                                 sampleRate: 32000, encoding: .float32)
        let patch = try Self.patch(dir, "tone", ["--f0", "400", "--carriers", "1"], target: tone)
        #expect(patch.jsonDouble("f0") == 400 && patch.jsonInt("sample_rate") == 32000)
        #expect((patch["analysis"] as? [String: Any])?.jsonInt("harmonics") == 39)
        // without --f0 the pitch is estimated: near C5 (523.25 Hz nominal) and said so
        let estimated = try Self.patch(dir, "est", ["--carriers", "1"])
        #expect(abs(try #require(estimated.jsonDouble("f0")) / 523.25 - 1) < 0.01)           // 1 % (17 cents)
        #expect((estimated["analysis"] as? [String: Any])?.jsonString("f0_source") == "estimated")
    }

    /// Without --db the checkpoint is populations/<name>.sqlite under the current folder, and
    /// without --out-dir the champion's files go next to the checkpoint, wherever it is.
    @Test func defaultCheckpointAndOutputFolder() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fm = FileManager.default
        let r = try RunOutput.evolve([Self.oboe, "--generations", "2", "--population", "8", "--carriers", "1", "--json"] + Self.search,
                                     currentDirectory: dir.url.path)
        let report = try RunOutput.object(r.stdout)
        #expect(report.jsonString("database") == "populations/oboe-C5.sqlite")
        #expect(report.jsonString("patch") == "populations/oboe-C5.champion.json")
        #expect(report.jsonString("wav") == "populations/oboe-C5.champion.wav")
        for name in ["oboe-C5.sqlite", "oboe-C5.champion.json", "oboe-C5.champion.wav"] {
            #expect(fm.fileExists(atPath: dir.path("populations/\(name)")), "\(name)")
        }
        #expect(try fm.contentsOfDirectory(atPath: dir.url.path) == ["populations"])
        // --db in another folder: the files follow it; --db without a folder: the current folder
        let other = try RunOutput.evolve([Self.oboe, "--generations", "2", "--population", "8", "--carriers", "1",
                                          "--db", "elsewhere/deep/x.sqlite", "--quiet"] + Self.search, currentDirectory: dir.url.path)
        #expect(other.stdout.contains("patch       elsewhere/deep/oboe-C5.champion.json\n"), "\(other.stdout)")
        #expect(fm.fileExists(atPath: dir.path("elsewhere/deep/oboe-C5.champion.wav")))
        _ = try RunOutput.evolve([Self.oboe, "--generations", "2", "--population", "8", "--carriers", "1",
                                  "--db", "here.sqlite", "--quiet"] + Self.search, currentDirectory: dir.url.path)
        #expect(fm.fileExists(atPath: dir.path("oboe-C5.champion.json")) && fm.fileExists(atPath: dir.path("here.sqlite")))
    }
}
