import Analysis
import AudioIO
import Foundation
import Testing
import TestSupport

@Suite struct EvolveCommandTests {
    static func champion(_ dir: TemporaryDirectory, threads: Int) throws -> [String: Any] {
        let out = dir.path("t\(threads)")
        let r = try fmevolve("evolve", Paths.target("oboe-C5.wav"), "--generations", "25", "--population", "40",
                             "--seed", "5", "--threads", String(threads), "--db", out + "/run.sqlite", "--quiet", "--json",
                             "--refine-candidates", "2", "--refine-finalists", "1")
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

    /// The patch file renders to the very WAV that evolve wrote; its `render_err` is fmevolve's
    /// analysis of that WAV, equals the independent scorer's to 4 digits, and stays near the err
    /// of the fit the evolution minimised.
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
        let renderErr = patch["render_err"] as! Double, fitErr = patch["err"] as! Double
        let target = try TargetAnalysis.analyse(try AudioReader.read(path: Paths.target("oboe-C5.wav")))
        let analysed = target.relativeSpectralError(target.tracks(of: a.samples))
        #expect(abs(analysed - renderErr) < 1e-6, "render_err \(renderErr), fmevolve's analysis of the WAV \(analysed)")  // float32 WAV
        let scored = try fmscore(target: Paths.target("oboe-C5.wav"), candidate: wav)
        #expect(abs(scored - renderErr) < 5e-5, "render_err \(renderErr), fmscore \(scored)")      // 4 digits
        #expect(abs(renderErr - fitErr) <= 0.0025, "render_err \(renderErr), fit err \(fitErr)")
    }

    /// `render --f0 600` plays the patch at 600 Hz on the same timeline: the render's pitch is
    /// 600 Hz, its length the target's, and its loudness over time (RMS of 20 ms blocks) the
    /// original render's — a unit's power does not depend on f0 while its harmonics stay below
    /// Nyquist.
    @Test func transposedRenderKeepsPitchAndTimeline() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.champion(dir, threads: 2)
        let json = dir.path("t2/oboe-C5.champion.json")
        let original = try AudioReader.read(path: dir.path("t2/oboe-C5.champion.wav"))
        let r = try fmevolve("render", json, "-o", dir.path("up.wav"), "--f0", "600")
        try #require(r.status == 0, "\(r.stderr)")
        let up = try AudioReader.read(path: dir.path("up.wav"))
        #expect(up.samples.count == original.samples.count && up.sampleRate == original.sampleRate)
        let pitch = try PitchEstimator.estimate(up.samples, sampleRate: up.sampleRate)
        #expect(abs(pitch / 600 - 1) < 0.001, "rendered at \(pitch) Hz")                  // 1.7 cents
        let block = original.sampleRate / 50
        func rms(_ x: [Double]) -> [Double] {
            stride(from: 0, to: x.count - block + 1, by: block).map { s in
                (x[s..<(s + block)].reduce(0) { $0 + $1 * $1 } / Double(block)).squareRoot()
            }
        }
        let before = rms(original.samples), after = rms(up.samples)
        let loudest = before.max()!
        let worst = zip(before, after).map { abs($0 - $1) }.max()!
        #expect(worst < 0.05 * loudest, "block RMS differs by \(worst / loudest) of the loudest block")
    }

    @Test func analyzeReportsTheNote() throws {
        let r = try fmevolve("analyze", Paths.target("cello-C3.wav"))
        #expect(r.status == 0)
        #expect(r.stdout.contains("f0          130.785 Hz (estimated), C3"))
        #expect(r.stdout.contains("harmonics   152"))
    }
}
