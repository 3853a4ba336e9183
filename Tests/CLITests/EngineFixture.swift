import Foundation
import Testing
import TestSupport

/// One fixture per note for every engine test: the champion of a 300-generation run (population
/// 60, seed 1) exported with `--all`, made once per test process and shared by the tests that
/// play it (csound, scsynth, sclang, FM7, Dexed). Removed when the process exits.
final class EngineFixture: @unchecked Sendable {
    static let shared = EngineFixture()
    private static let root = FileManager.default.temporaryDirectory
        .appendingPathComponent("fmevolve-engines-\(UUID().uuidString)").path

    private let lock = NSLock()
    private var exports: [String: String] = [:]
    private var errs: [String: Double] = [:]

    private init() {
        atexit { try? FileManager.default.removeItem(atPath: EngineFixture.root) }
    }

    /// One lock per note, so that the notes' fixtures are made at the same time.
    private var noteLocks: [String: NSLock] = [:]

    private func noteLock(_ note: String) -> NSLock {
        lock.lock()
        defer { lock.unlock() }
        if let l = noteLocks[note] { return l }
        let l = NSLock()
        noteLocks[note] = l
        return l
    }

    /// The folder holding `fmevolve export --all` of the note's champion (files named after the note).
    /// The refinement stage screens 2 structures and refines 1 (the default 4 and 2 give these
    /// notes the same champion at twice the cost): what is tested is how the engines play it.
    func exported(_ note: String) throws -> String {
        let l = noteLock(note)
        l.lock()
        defer { l.unlock() }
        if let dir = (lock.withLock { exports[note] }) { return dir }
        let dir = "\(Self.root)/\(note)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let db = "\(dir)/run.sqlite"
        let e = try fmevolve("evolve", Paths.target("\(note).wav"), "--generations", "300", "--population", "60",
                             "--db", db, "--out-dir", "\(dir)/evolved", "--quiet", "--refine-candidates", "2", "--refine-finalists", "1")
        try #require(e.status == 0, "\(e.stderr)")
        let out = "\(dir)/all"
        let x = try fmevolve("export", db, "--all", "--out", out)
        try #require(x.status == 0, "\(x.stderr)")
        lock.withLock { exports[note] = out }
        return out
    }

    /// The checkpoint of the note's fixture run.
    func database(_ note: String) throws -> String {
        _ = try exported(note)
        return "\(Self.root)/\(note)/run.sqlite"
    }

    /// fmscore's err of fmevolve's own WAV of the note's champion (computed once).
    func fmevolveErr(_ note: String) throws -> Double {
        let dir = try exported(note)
        lock.lock()
        defer { lock.unlock() }
        if let e = errs[note] { return e }
        let e = try fmscore(target: Paths.target("\(note).wav"), candidate: "\(dir)/\(note).champion.wav")
        errs[note] = e
        return e
    }

    /// A fresh folder for one test's renders of the note.
    func scratch(_ note: String, _ label: String) throws -> String {
        let dir = "\(Self.root)/\(note)/\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}
