import AudioIO
import Foundation
import SQLite
import Testing
import TestSupport

/// A second Ctrl-C aborts at once: exit 130, the abort message last, and the checkpoint keeps
/// the last committed generation (it opens, its generations are contiguous, and it resumes).
/// The run is the GA's alone (`--static-indices`), so that the resume adds a generation and no
/// refinement stage.
@Suite struct SecondInterruptTests {
    /// (stored generations, newest), read with a plain SQLite connection.
    static func stored(_ db: String) throws -> (count: Int, newest: Int) {
        let d = try Database(path: db, mode: .readOnly)
        let s = try d.prepare("SELECT count(*), coalesce(max(generation), -1) FROM generations")
        _ = try s.step()
        return (s.int(0), s.int(1))
    }

    /// A 6 s tone at 55 Hz (256 harmonics, 331 frames) with population 4000 makes every
    /// generation last about half a second on two threads, against about 20 ms for its commit,
    /// so that both signals come while one is in flight: the first 50 ms after generation 1 is
    /// committed, the second as soon as the first is acknowledged. (Two SIGINTs sent within
    /// microseconds of each other are one signal: the kernel does not queue a SIGINT that is
    /// still pending, so no program can count them.)
    @Test func secondSigintAbortsAndTheCheckpointResumes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let target = dir.path("low.wav"), db = dir.path("abort.sqlite")
        let tone = Tones.harmonic(f0: 55, amplitudes: (1...20).map { 0.1 / Double($0) }, sampleRate: 44100, seconds: 6)
        try AudioWriter.writeWAV(path: target, samples: tone, sampleRate: 44100)
        let p = try Background(Paths.executable, ["evolve", target, "--f0", "55", "--db", db, "--population", "4000",
                                                  "--generations", "100000", "--threads", "2", "--seed", "5", "--quiet",
                                                  "--static-indices", "--out-dir", dir.path("out")], in: dir)
        let started = eventually(within: 60) { ((try? Self.stored(db))?.count ?? 0) >= 2 }
        usleep(50_000)
        p.signal(SIGINT)
        let acknowledged = eventually(within: 10) { p.stderr.contains("stopping after the generation or refinement step in flight") }
        p.signal(SIGINT)
        let status = p.wait()
        try #require(started, "no generation was committed: \(p.stderr)")
        #expect(acknowledged, "\(p.stderr)")
        #expect(status == 130)
        let lines = p.stderr.split(separator: "\n").map(String.init)
        #expect(lines.last == "fmevolve: aborted; the checkpoint keeps the last committed generation", "\(p.stderr)")
        #expect(!p.stderr.contains("checkpointed generation"), "it stopped normally: \(p.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("out/low.champion.json")))

        // the file opens (quick_check passes), no generation is missing, and the run goes on
        let (count, newest) = try Self.stored(db)
        #expect(newest >= 1 && count == newest + 1, "generations must be contiguous")
        #expect(try fmevolve("runs", db, "--json").status == 0)
        let r = try fmevolve("resume", db, "--more", "1", "--quiet", "--out-dir", dir.path("out"))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.stored(db).newest == newest + 1)
    }
}
