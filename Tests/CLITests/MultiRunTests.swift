import Foundation
import Testing
import TestSupport

/// One checkpoint file holding two runs: `runs` lists both, `--run N` picks one for
/// `runs --generations` and `export`, and a run that is not there is a one-line error.
@Suite(.serialized) struct MultiRunTests {
    static let target = Paths.target("oboe-C5.wav")

    static func json(_ text: String) throws -> [String: Any] { try RunOutput.object(text) }

    /// Two runs of different seeds and lengths in one file: run 1 (seed 1, 6 generations) and
    /// run 2 (seed 2, 9 generations); each evolve's own files in `evolve1/` and `evolve2/` beside it.
    /// Made once per test process (the tests only read it), removed at exit.
    final class TwoRuns: @unchecked Sendable {
        static let shared = TwoRuns()
        static let root = FileManager.default.temporaryDirectory.appendingPathComponent("fmevolve-two-runs-\(UUID().uuidString)").path
        private let lock = NSLock()
        private var made = false

        private init() { atexit { try? FileManager.default.removeItem(atPath: TwoRuns.root) } }

        /// The checkpoint file.
        func database() throws -> String {
            lock.lock()
            defer { lock.unlock() }
            let db = "\(Self.root)/two.sqlite"
            if made { return db }
            try FileManager.default.createDirectory(atPath: Self.root, withIntermediateDirectories: true)
            for (seed, generations) in [("1", "6"), ("2", "9")] {
                let r = try fmevolve("evolve", MultiRunTests.target, "--db", db, "--seed", seed, "--generations", generations,
                                     "--population", "24", "--quiet", "--out-dir", "\(Self.root)/evolve\(seed)")
                try #require(r.status == 0, "\(r.stderr)")
            }
            made = true
            return db
        }
    }

    /// (generation, best, mean) of every stored generation of a run, from `runs --generations --run N --json`.
    static func generations(_ db: String, run: Int) throws -> [(generation: Int, best: Double, mean: Double)] {
        let r = try fmevolve("runs", db, "--generations", "--run", "\(run)", "--json")
        try #require(r.status == 0, "\(r.stderr)")
        let obj = try json(r.stdout)
        #expect(obj["run"] as? Int == run)
        let rows = try #require(obj["generations"] as? [[String: Any]])
        return rows.map { ($0["generation"] as! Int, $0["best"] as! Double, $0["mean"] as! Double) }
    }

    @Test func runsListsBothAndPicksOne() throws {
        let db = try TwoRuns.shared.database()

        let list = try Self.json(try fmevolve("runs", db, "--json").stdout)
        let runs = try #require(list["runs"] as? [[String: Any]])
        #expect(runs.map { $0["run"] as? Int } == [1, 2])
        #expect(runs.map { $0["seed"] as? Int } == [1, 2])
        #expect(runs.map { $0["generations"] as? Int } == [6, 9])

        let one = try Self.generations(db, run: 1), two = try Self.generations(db, run: 2)
        #expect(one.map(\.generation) == Array(0...6))
        #expect(two.map(\.generation) == Array(0...9))
        // (the best can agree: both seeds start from the structure screen's genomes)
        #expect(one.map(\.mean) != two.prefix(7).map(\.mean), "run 1's generations are run 2's")
        // each run's listed best is its newest generation's (the champion is never lost)
        #expect(runs[0]["best"] as? Double == one.last?.best)
        #expect(runs[1]["best"] as? Double == two.last?.best)
        // without --run: the newest run
        let newest = try Self.json(try fmevolve("runs", db, "--generations", "--json").stdout)
        #expect(newest["run"] as? Int == 2)

        // the text listing: a header and two lines per run (both dynamic): id, target, generations,
        // best err, …, then its refinement stage (RunsStageTests checks that line's values)
        let text = try fmevolve("runs", db)
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        try #require(lines.count == 1 + 2 * 2, "\(text.stdout)")
        let main = [lines[1], lines[3]]
        #expect(main.map { $0[0] } == ["1", "2"])
        #expect(main.map { $0[2] } == ["6", "9"])
        #expect(main.map { $0[3] } == [one, two].map { String(format: "%.6f", $0.last!.best) })
        #expect([lines[2], lines[4]].allSatisfy { $0.first == "refinement" })
        let rows = try fmevolve("runs", db, "--generations", "--run", "1")
        #expect(rows.stdout.split(separator: "\n").count == 1 + 7)
        // --run without --generations lists that run alone
        let only = try Self.json(try fmevolve("runs", db, "--run", "2", "--json").stdout)
        #expect((only["runs"] as? [[String: Any]])?.map { $0["run"] as? Int } == [2])
    }

    @Test func exportPicksTheRun() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try TwoRuns.shared.database()
        // a second later than evolve wrote its files, so that a time stamp in them would show
        Thread.sleep(forTimeInterval: 1.05)
        let best1 = try #require(try Self.generations(db, run: 1).last?.best)
        let best2 = try #require(try Self.generations(db, run: 2).last?.best)
        try #require(best1 != best2)

        func exportedErr(_ args: [String], _ folder: String) throws -> Double {
            let r = try fmevolve(arguments: ["export", db, "--out", dir.path(folder)] + args)
            try #require(r.status == 0, "\(r.stderr)")
            let patch = try Self.json(String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir.path("\(folder)/oboe-C5.champion.json"))),
                                             as: UTF8.self))
            return try #require(patch["err"] as? Double)
        }
        // each run's champion is its refinement stage's: the err `runs` has stored for its stage
        let stages = try #require(try Self.json(try fmevolve("runs", db, "--json").stdout)["runs"] as? [[String: Any]])
            .map { try #require($0["refinement"] as? [String: Any]).jsonDouble("err") }
        try #require(stages.count == 2 && stages[0] != stages[1])
        #expect(try exportedErr(["--run", "1"], "r1") == stages[0])
        #expect(try exportedErr(["--run", "2"], "r2") == stages[1])
        #expect(try exportedErr([], "newest") == stages[1])
        // and each run's files are the ones its own evolve wrote (README: byte for byte)
        for (run, folder) in [(1, "r1"), (2, "r2"), (2, "newest")] {
            for file in ["oboe-C5.champion.json", "oboe-C5.champion.wav"] {
                let own = "\(TwoRuns.root)/evolve\(run)/\(file)", exported = dir.path("\(folder)/\(file)")
                if file.hasSuffix(".json") {      // the patch, but for where the export found it
                    var a = try RunOutput.file(own), b = try RunOutput.file(exported)
                    a["run"] = nil; b["run"] = nil
                    #expect(NSDictionary(dictionary: a).isEqual(to: b), "run \(run): \(file)")
                } else {
                    #expect(try sameBytes(own, exported), "run \(run): \(file)")
                }
            }
        }
    }

    @Test func aRunThatIsNotThereIsAnError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try TwoRuns.shared.database()
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        for args in [["export", db, "--run", "99", "--out", dir.path("x")],
                     ["runs", db, "--generations", "--run", "99"],
                     ["runs", db, "--generations", "--run", "99", "--json"], ["runs", db, "--run", "99"]] {
            let r = try fmevolve(arguments: args)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderrLines == ["fmevolve: error: \(db) has no run 99"], "\(args)")
            #expect(r.stdout.isEmpty, "\(args)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path("x")))
        let unchanged = try Data(contentsOf: URL(fileURLWithPath: db)) == before      // a Bool: see sameBytes
        #expect(unchanged, "the file changed")
    }
}
