import AudioIO
import Foundation
import SQLite
import Testing
import TestSupport

/// Every guard: one line on stderr, exit status 2, and the checkpoint file byte for byte as it
/// was.
@Suite struct CheckpointGuardTests {
    /// A finished small run on a copy of the oboe note in `dir` (the GA alone: the guards are
    /// about the file, not the refinement stage); returns (db, target copy).
    static func finishedRun(_ dir: TemporaryDirectory) throws -> (String, String) {
        let target = dir.path("note.wav")
        try FileManager.default.copyItem(atPath: Paths.target("oboe-C5.wav"), toPath: target)
        let db = dir.path("note.sqlite")
        let r = try fmevolve("evolve", target, "--generations", "6", "--population", "24", "--db", db, "--quiet",
                             "--static-indices")
        try #require(r.status == 0, "\(r.stderr)")
        return (db, target)
    }

    func expectRefused(_ args: [String], file db: String, message: String,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let r = try fmevolve(arguments: args)
        #expect(r.status == 2, "exit \(r.status)", sourceLocation: sourceLocation)
        #expect(r.stderrLines.count == 1, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(message), "\(r.stderr)", sourceLocation: sourceLocation)
        let after = try Data(contentsOf: URL(fileURLWithPath: db))
        let unchanged = before == after                         // a Bool: see sameBytes
        #expect(unchanged, "the file changed", sourceLocation: sourceLocation)
    }

    @Test func changedTarget() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (db, target) = try Self.finishedRun(dir)
        try FileManager.default.removeItem(atPath: target)
        try FileManager.default.copyItem(atPath: Paths.target("flute-G5.wav"), toPath: target)
        try expectRefused(["resume", db, "--more", "2"], file: db, message: "is not the recording this run started from")
    }

    @Test func missingTargetAndMovedTarget() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (db, target) = try Self.finishedRun(dir)
        let moved = dir.path("moved.wav")
        try FileManager.default.moveItem(atPath: target, toPath: moved)
        try expectRefused(["resume", db, "--more", "2"], file: db, message: "the run's target \(target) is missing; pass --target NEWPATH")
        let r = try fmevolve("resume", db, "--more", "2", "--target", moved, "--quiet")
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func garbageFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.path("garbage.sqlite")
        var bytes = [UInt8](repeating: 0, count: 10_000)
        var s: UInt64 = 7
        for i in bytes.indices { s = s &* 6364136223846793005 &+ 1; bytes[i] = UInt8(s >> 56) }
        try Data(bytes).write(to: URL(fileURLWithPath: db))
        try expectRefused(["resume", db], file: db, message: "is not an fmevolve checkpoint")
        try expectRefused(["evolve", Paths.target("oboe-C5.wav"), "--db", db, "--generations", "2"], file: db,
                          message: "is not an fmevolve checkpoint")
        try expectRefused(["runs", db], file: db, message: "is not an fmevolve checkpoint")
    }

    @Test func anotherProgramsDatabase() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.path("other.sqlite")
        do {
            let d = try Database(path: db, mode: .create)
            try d.execute("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('hello')")
        }
        try expectRefused(["resume", db], file: db, message: "a SQLite database of another program")
    }

    @Test func truncatedDatabase() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (db, _) = try Self.finishedRun(dir)
        let data = try Data(contentsOf: URL(fileURLWithPath: db))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: db))
        let r = try fmevolve("resume", db)
        #expect(r.status == 2 && r.stderrLines.count == 1, "exit \(r.status): \(r.stderr)")
        #expect(r.stderr.contains("is damaged") || r.stderr.contains("is not an fmevolve checkpoint"), "\(r.stderr)")
        let unchanged = try Data(contentsOf: URL(fileURLWithPath: db)) == data.prefix(data.count / 2)   // a Bool: see sameBytes
        #expect(unchanged, "the file changed")
    }

    @Test func futureSchemaVersion() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (db, _) = try Self.finishedRun(dir)
        do { try Database(path: db, mode: .readWrite).setUserVersion(99) }
        try expectRefused(["resume", db], file: db, message: "was written by a newer fmevolve (schema 99")
        try expectRefused(["export", db, "--out", dir.path("x")], file: db, message: "was written by a newer fmevolve")
    }

    @Test func secondProcessIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.path("busy.sqlite")
        let first = try Background(Paths.executable, ["evolve", Paths.target("oboe-C5.wav"), "--db", db, "--generations", "100000",
                                                      "--population", "24", "--quiet"], in: dir)
        #expect(eventually(within: 20) { ((try? storedGenerations(db))?.count ?? 0) >= 2 })
        let r = try fmevolve("resume", db)
        #expect(r.status == 2, "exit \(r.status)")
        #expect(r.stderrLines.count == 1)
        #expect(r.stderr.contains("is in use by pid \(first.pid)"), "\(r.stderr)")
        let second = try fmevolve("evolve", Paths.target("oboe-C5.wav"), "--db", db, "--generations", "3")
        #expect(second.status == 2 && second.stderrLines.count == 1 && second.stderr.contains("is in use by pid \(first.pid)"))
        first.signal(SIGKILL)
        first.wait()
        // the first writer's file is intact and can be resumed
        let again = try fmevolve("resume", db, "--more", "1", "--quiet")
        #expect(again.status == 0, "\(again.stderr)")
    }

    @Test func cannotCreate() throws {
        let r = try fmevolve("evolve", Paths.target("oboe-C5.wav"), "--db", "/proc/fmevolve/x.sqlite", "--generations", "1")
        #expect(r.status == 2 && r.stderrLines.count == 1, "exit \(r.status): \(r.stderr)")
        #expect(r.stderr.contains("cannot create /proc/fmevolve/x.sqlite"), "\(r.stderr)")
        let missing = try fmevolve("resume", "/nonexistent/x.sqlite")
        #expect(missing.status == 2 && missing.stderr == "fmevolve: error: /nonexistent/x.sqlite: no such checkpoint\n")
    }
}
