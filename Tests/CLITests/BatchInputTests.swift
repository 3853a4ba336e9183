import AudioIO
import Foundation
import Testing
import TestSupport

/// The batch commands' bad input: one clear line on stderr and a non-zero exit; a note that
/// cannot be matched fails alone, the others are matched.
@Suite struct BatchInputTests {
    static let quick = ["--static-indices", "--generations", "5", "--population", "8", "--carriers", "1", "--threads", "1"]

    /// A short harmonic tone at `path`.
    static func tone(_ path: String, f0: Double = 220) throws {
        try AudioWriter.writeWAV(path: path, samples: Tones.harmonic(f0: f0, amplitudes: [0.4, 0.2, 0.1], sampleRate: 22050, seconds: 0.4),
                                 sampleRate: 22050, encoding: .pcm16)
    }

    @Test func badNoteFailsAloneAndIsNamed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.path("lib/low"), withIntermediateDirectories: true)
        try Self.tone(dir.path("lib/low/A3.wav"))
        try Self.tone(dir.path("lib/A4.wav"), f0: 440)
        try "not audio".write(toFile: dir.path("lib/broken.wav"), atomically: true, encoding: .utf8)
        try "notes".write(toFile: dir.path("lib/README.txt"), atomically: true, encoding: .utf8)
        let r = try fmevolve(arguments: ["batch", dir.path("lib"), "--out", dir.path("out")] + Self.quick)
        #expect(r.status == 1)
        #expect(r.stderrLines.last == "fmevolve: error: 1 of 3 notes failed", "\(r.stderr)")
        #expect(r.stderr.contains("broken: failed: ") && r.stderr.contains("not a readable audio file"), "\(r.stderr)")
        // subfolders kept in the names; the text file is not a note
        for name in ["A4", "low/A3"] {
            #expect(FileManager.default.fileExists(atPath: dir.path("out/\(name).champion.json")), "\(name)")
        }
        let summary = try RunOutput.file(dir.path("out/batch-summary.json"))
        let rows = try #require(summary["notes"] as? [[String: Any]])
        #expect(rows.map { $0["note"] as? String } == ["A4", "broken", "low/A3"])
        #expect(rows.map { $0["status"] as? String } == ["done", "failed", "done"])
        #expect((rows[0]["f0"] as? Double).map { abs($0 - 440) < 1 } == true)
    }

    @Test(arguments: [
        (["batch", "--out", "o"], "give at least one folder or recording"),
        (["batch", "nowhere/"], "Missing expected argument '--out <out>'"),
        (["batch", "nowhere/", "--out", "o"], "nowhere/: no such file or folder"),
        (["batch", "run", "missing.txt", "--job", "0"], "missing.txt: no such jobs file (write one with 'fmevolve batch plan')"),
    ])
    func usageErrors(arguments: [String], message: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let r = try fmevolve(arguments: arguments, currentDirectory: dir.url.path)
        #expect(r.status != 0)
        #expect(r.stderrLines.count == 1 && r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func foldersAndJobsAreChecked() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.path("empty"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.path("twins"), withIntermediateDirectories: true)
        try Self.tone(dir.path("twins/C4.wav"))
        try FileManager.default.copyItem(atPath: dir.path("twins/C4.wav"), toPath: dir.path("twins/C4.aiff"))
        try Self.tone(dir.path("A.wav"))

        let empty = try fmevolve("batch", dir.path("empty"), "--out", dir.path("o"))
        #expect(empty.status == 2 && empty.stderrLines == ["fmevolve: error: \(dir.path("empty")): no audio files in this folder"])
        let twins = try fmevolve("batch", dir.path("twins"), "--out", dir.path("o"))
        #expect(twins.status == 2 && twins.stderrLines.count == 1 && twins.stderr.contains("would both write C4.*"), "\(twins.stderr)")

        let plan = try fmevolve(arguments: ["batch", "plan", dir.path("A.wav"), "--out", dir.path("o")] + Self.quick)
        try #require(plan.status == 0, "\(plan.stderr)")
        try plan.stdout.write(toFile: dir.path("jobs.txt"), atomically: true, encoding: .utf8)
        let beyond = try fmevolve("batch", "run", dir.path("jobs.txt"), "--job", "1")
        #expect(beyond.status == 2 && beyond.stderrLines == ["fmevolve: error: \(dir.path("jobs.txt")) has 1 jobs (0…0); there is no job 1"])
        let done = try fmevolve("batch", "run", dir.path("jobs.txt"), "--job", "0", "--quiet")
        #expect(done.status == 0 && done.stdout.contains("1 of 1 notes done"), "\(done.stderr)")

        // the same note and folder with another seed: its checkpoint is not continued under it
        try FileManager.default.removeItem(atPath: dir.path("o/A.champion.json"))
        let other = try fmevolve(arguments: ["batch", dir.path("A.wav"), "--out", dir.path("o"), "--seed", "2"] + Self.quick)
        #expect(other.status == 1)
        #expect(other.stderr.contains("o/A.sqlite was started with other settings (seed 1); remove it or use another --out"),
                "\(other.stderr)")
    }
}
