import Foundation
import Testing
import TestSupport

/// The batch every batch test compares with: five of the bundled notes matched by one
/// uninterrupted `fmevolve batch` (made once per test process, removed at exit). Five: three done
/// before a kill, one killed inside, one not started — each case of a rerun, at 5/8 of the suite
/// time all eight took.
final class BatchFixture: @unchecked Sendable {
    static let shared = BatchFixture()
    /// A short static search per note: long enough (300 generations) for a kill to land inside a
    /// note, short enough for the suite.
    static let options = ["--static-indices", "--generations", "300", "--population", "40", "--carriers", "2",
                          "--seed", "5", "--threads", "2"]
    static let root = FileManager.default.temporaryDirectory.appendingPathComponent("fmevolve-batch-\(UUID().uuidString)").path

    private let lock = NSLock()
    private var reference: String?

    private init() {
        atexit { try? FileManager.default.removeItem(atPath: BatchFixture.root) }
    }

    /// The notes, in the batch's order (sorted by name): the first five bundled ones.
    static func notes() throws -> [String] { Array(try Paths.manifest().map(\.file).sorted().prefix(5)) }
    static func name(_ note: String) -> String { URL(fileURLWithPath: note).deletingPathExtension().lastPathComponent }

    /// The reference batch's output folder.
    func referenceFolder() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let r = reference { return r }
        let out = "\(Self.root)/reference"
        let r = try fmevolve(arguments: ["batch"] + (try Self.notes()) + ["--out", out, "--quiet"] + Self.options)
        try #require(r.status == 0, "\(r.stderr)")
        reference = out
        return out
    }

    /// Every note of `out` is the reference's: the same render, byte for byte, and the same patch
    /// (all but where and how long it ran).
    static func expectSameNotes(_ out: String, as reference: String) throws {
        for note in try notes() {
            let n = name(note)
            #expect(try sameBytes("\(out)/\(n).champion.wav", "\(reference)/\(n).champion.wav"), "\(n): render differs")
            #expect(try championPatch("\(out)/\(n).champion.json") == championPatch("\(reference)/\(n).champion.json"),
                    "\(n): patch differs")
        }
    }
}
