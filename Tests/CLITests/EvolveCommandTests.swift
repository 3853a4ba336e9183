import AudioIO
import Foundation
import Testing
import TestSupport

@Suite struct EvolveCommandTests {
    static func champion(_ dir: TemporaryDirectory, threads: Int) throws -> [String: Any] {
        let out = dir.path("t\(threads)")
        let r = try fmevolve("evolve", Paths.target("oboe-C5.wav"), "--generations", "25", "--population", "40",
                             "--seed", "5", "--threads", String(threads), "--db", out + "/run.sqlite", "--quiet", "--json")
        try #require(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(report["patch"] as? String == out + "/oboe-C5.champion.json")
        let patch = try Data(contentsOf: URL(fileURLWithPath: out + "/oboe-C5.champion.json"))
        return try JSONSerialization.jsonObject(with: patch) as! [String: Any]
    }

    /// Acceptance: the champion is identical for --threads 1 and --threads 2.
    @Test func sameChampionForOneAndTwoThreads() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var one = try Self.champion(dir, threads: 1), two = try Self.champion(dir, threads: 2)
        for key in ["run"] { one[key] = nil; two[key] = nil }        // wall time differs
        #expect(NSDictionary(dictionary: one).isEqual(to: two))
        let units = one["units"] as! [[String: Any]]
        #expect(units.count == 3)
        #expect((one["err"] as! Double) < 0.5)
    }

    /// The patch file renders to the very WAV that evolve wrote, and its render err is what
    /// evolve reported.
    @Test func renderReproducesTheChampion() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let patch = try Self.champion(dir, threads: 2)
        let json = dir.path("t2/oboe-C5.champion.json"), wav = dir.path("t2/oboe-C5.champion.wav")
        let r = try fmevolve("render", json, "-o", dir.path("again.wav"))
        try #require(r.status == 0, "\(r.stderr)")
        let a = try AudioReader.read(path: wav), b = try AudioReader.read(path: dir.path("again.wav"))
        #expect(a.samples == b.samples)
        #expect(a.samples.count == 88200 && a.sampleRate == 44100)          // the target's length and rate
        #expect(patch["render_err"] as! Double >= 0)
        // transposed render: same length, different samples
        let up = try fmevolve("render", json, "-o", dir.path("up.wav"), "--f0", "600")
        #expect(up.status == 0)
        let c = try AudioReader.read(path: dir.path("up.wav"))
        #expect(c.samples.count == a.samples.count && c.samples != a.samples)
    }

    @Test func analyzeReportsTheNote() throws {
        let r = try fmevolve("analyze", Paths.target("cello-C3.wav"))
        #expect(r.status == 0)
        #expect(r.stdout.contains("f0          130.785 Hz (estimated), C3"))
        #expect(r.stdout.contains("harmonics   152"))
    }
}
