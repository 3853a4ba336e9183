import AudioIO
import Foundation
import SQLite
import Testing
import TestSupport

/// Generations stored in a checkpoint: (count, newest), read with a plain SQLite connection.
func storedGenerations(_ db: String) throws -> (count: Int, newest: Int) {
    let d = try Database(path: db, mode: .readOnly)
    let s = try d.prepare("SELECT count(*), coalesce(max(generation), -1) FROM generations")
    _ = try s.step()
    return (s.int(0), s.int(1))
}

func bestPerGeneration(_ db: String) throws -> [Double] {
    try RunOutput.history(db).map { $0["best"] as! Double }
}

/// The champion patch without the fields that describe where and how long it ran.
func championPatch(_ path: String) throws -> NSDictionary {
    var obj = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    obj["run"] = nil
    return obj as NSDictionary
}

@Suite(.serialized) struct CheckpointCommandTests {
    static let target = Paths.target("oboe-C5.wav")
    static let common = ["--population", "40", "--seed", "9", "--quiet"]
    /// The GA alone (Horner's static indices): for the tests of generations and their checkpoints,
    /// which the refinement stage after the search would only slow down (RefinementResumeTests
    /// kills and resumes the stage).
    static let search = common + ["--static-indices"]

    /// Acceptance 1: G generations in one go, or in three pieces (evolve, resume, resume) with
    /// different --threads: every generation's best err and the final champion are identical.
    @Test func resumeInPiecesIsBitIdentical() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let full = dir.path("full.sqlite"), parts = dir.path("parts.sqlite")
        #expect(try fmevolve(arguments: ["evolve", Self.target, "--generations", "60", "--threads", "2", "--db", full,
                                         "--out-dir", dir.path("f")] + Self.search).status == 0)
        #expect(try fmevolve(arguments: ["evolve", Self.target, "--generations", "20", "--threads", "1", "--db", parts] + Self.search).status == 0)
        #expect(try fmevolve("resume", parts, "--generations", "45", "--threads", "2", "--quiet").status == 0)
        let last = try fmevolve("resume", parts, "--more", "15", "--threads", "1", "--quiet", "--out-dir", dir.path("p"))
        #expect(last.status == 0, "\(last.stderr)")
        #expect(try bestPerGeneration(full) == bestPerGeneration(parts))
        #expect(try bestPerGeneration(full).count == 61)
        #expect(try championPatch(dir.path("f/oboe-C5.champion.json")) == championPatch(dir.path("p/oboe-C5.champion.json")))
    }

    /// Acceptance 2: SIGKILL at ≥ 10 random moments, resuming each time: the file always opens,
    /// no completed generation is missing, and the final champion is the uninterrupted run's.
    /// The moments are random but their number is not left to the machine's speed: 12 kills, each
    /// a random 0–30 ms after the run has stored a random generation (rising from 1 to 1900 of
    /// 2000), so that they land anywhere in a generation or its commit; two more kill a process
    /// 0–100 ms after its start (reading, analysing, opening the file).
    @Test func survivesKillNine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let args = ["--generations", "2000", "--population", "48", "--seed", "3", "--threads", "2", "--static-indices"]
        let reference = dir.path("reference.sqlite"), killed = dir.path("killed.sqlite")
        #expect(try fmevolve(arguments: ["evolve", Self.target, "--db", reference, "--out-dir", dir.path("ref"), "--quiet"] + args).status == 0)

        var rng = SystemRandomNumberGenerator()
        var moments: [Int?] = (0..<12).map { _ in Int.random(in: 1...1900, using: &rng) }.sorted()
        moments.insert(nil, at: 4)
        moments.insert(nil, at: 9)                              // nil: at start-up
        var kills = 0, newest = -1, finished = false, attempts = 0
        while !finished && attempts < 40 {
            attempts += 1
            let command = newest < 0 ? ["evolve", Self.target, "--db", killed, "--out-dir", dir.path("killed")] + args
                                     : ["resume", killed, "--out-dir", dir.path("killed")]
            let p = try Background(Paths.executable, command, in: dir)
            if kills < moments.count {
                if let generation = moments[kills] {
                    _ = eventually(within: 60) {
                        !p.process.isRunning || ((try? storedGenerations(killed))?.newest ?? -1) >= generation
                    }
                    usleep(UInt32.random(in: 0...30_000, using: &rng))
                } else {
                    usleep(UInt32.random(in: 0...100_000, using: &rng))
                }
                p.signal(SIGKILL)
            }
            let status = p.wait()
            if p.process.terminationReason == .uncaughtSignal { kills += 1 } else {
                #expect(status == 0, "\(p.stderr)")
                finished = status == 0
            }
            // the file opens, generations are contiguous, nothing reported done is missing
            if FileManager.default.fileExists(atPath: killed) {
                let (count, last) = try storedGenerations(killed)
                #expect(count == last + 1, "generations must be contiguous")
                #expect(last >= newest)
                let reported = p.stderr.split(separator: "\n").compactMap { line -> Int? in
                    line.hasPrefix("gen ") ? Int(line.split(separator: " ")[1]) : nil
                }.max() ?? -1
                #expect(last >= reported, "generation \(reported) was reported done but is missing")
                newest = max(newest, last)
            }
        }
        #expect(kills >= 10, "only \(kills) kills")
        #expect(finished)
        #expect(try bestPerGeneration(reference) == bestPerGeneration(killed))
        #expect(try championPatch(dir.path("ref/oboe-C5.champion.json")) == championPatch(dir.path("killed/oboe-C5.champion.json")))
    }

    /// Acceptance 3: SIGINT (and SIGTERM) stop after the generation in flight is committed.
    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func interruptCheckpointsAndExplains(signal: Int32, status: Int32) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.path("i.sqlite")
        let p = try Background(Paths.executable, ["evolve", Self.target, "--db", db, "--generations", "100000"] + Self.search, in: dir)
        #expect(eventually(within: 20) { ((try? storedGenerations(db))?.count ?? 0) >= 5 })
        p.signal(signal)
        #expect(p.wait() == status)
        let lines = p.stderr.split(separator: "\n").map(String.init)
        let last = try #require(lines.last)
        let (_, newest) = try storedGenerations(db)
        #expect(last == "fmevolve: checkpointed generation \(newest); resume with: fmevolve resume \(db)")
        // and it resumes from there
        let r = try fmevolve("resume", db, "--more", "3", "--quiet")
        #expect(r.status == 0)
        #expect(try storedGenerations(db).newest == newest + 3)
    }

    /// `export` writes byte for byte the files `evolve` wrote — the refinement stage's champion,
    /// with its index envelopes — and any stored generation's (static) champion, from the
    /// checkpoint alone: the recording is deleted first.
    @Test func exportWritesTheSameFilesAsEvolve() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let target = dir.path("oboe-C5.wav"), db = dir.path("e.sqlite")
        try FileManager.default.copyItem(atPath: Self.target, toPath: target)
        #expect(try fmevolve(arguments: ["evolve", target, "--generations", "12", "--db", db] + Self.common).status == 0)
        try FileManager.default.removeItem(atPath: target)
        let r = try fmevolve("export", db, "--out", dir.path("exported"))
        #expect(r.status == 0, "\(r.stderr)")
        for file in ["oboe-C5.champion.json", "oboe-C5.champion.wav"] {
            #expect(try sameBytes(dir.path(file), dir.path("exported/\(file)")), "\(file)")
        }
        let newest = try RunOutput.file(dir.path("exported/oboe-C5.champion.json"))
        let units = try #require(newest["units"] as? [[String: Any]])
        #expect(newest.jsonDouble("static_err") != nil && units.allSatisfy { $0["index1_envelope"] != nil && $0["index2_envelope"] != nil },
                "the newest champion is the refinement stage's")
        // an older generation: its champion (the err stored for generation 4), rendered
        let g = try fmevolve("export", db, "--generation", "4", "--out", dir.path("exported"))
        #expect(g.status == 0, "\(g.stderr)")
        let json = dir.path("exported/oboe-C5.gen4.champion.json")
        let patch = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as! [String: Any]
        #expect((patch["run"] as! [String: Any])["generation"] as! Int == 4)
        // the GA's champion of that generation: static indices, no stage
        #expect(patch["static_err"] == nil && (patch["units"] as! [[String: Any]]).allSatisfy { $0["index1_envelope"] == nil })
        let history = try bestPerGeneration(db)
        #expect(patch["err"] as! Double == history[4], "generation 4's best err is \(history[4])")
        #expect(history[4] != history[12])                         // generation 4 is not the newest's champion
        let again = try fmevolve("render", json, "-o", dir.path("again.wav"))
        #expect(again.status == 0)
        let exportedWAV = try AudioReader.read(path: dir.path("exported/oboe-C5.gen4.champion.wav"))
        #expect(try AudioReader.read(path: dir.path("again.wav")).samples == exportedWAV.samples)
        let missing = try fmevolve("export", db, "--generation", "99", "--out", dir.path("exported"))
        #expect(missing.status == 2 && missing.stderrLines.count == 1)
    }

    @Test func runsListsProgressAndWriteShare() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.path("r.sqlite")
        #expect(try fmevolve(arguments: ["evolve", Self.target, "--generations", "8", "--db", db] + Self.search).status == 0)
        let r = try fmevolve("runs", db, "--json")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let run = (obj["runs"] as! [[String: Any]])[0]
        #expect(run["generations"] as! Int == 8)
        #expect(run["target"] as! String == Self.target)
        #expect((run["write_share"] as! Double) > 0 && (run["write_share"] as! Double) < 1)
        let text = try fmevolve("runs", db)
        #expect(text.stdout.contains("writing s (share)"))
    }
}
