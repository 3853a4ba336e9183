import Foundation
import SQLite
import Testing
import TestSupport

/// `resume` without a limit of its own continues the run's original stop rule, and it refuses a
/// checkpoint whose analysis is not the one the recording gives now.
@Suite struct ResumeRuleTests {
    static let target = Paths.target("oboe-C5.wav")

    /// Wall time of a run's generations from generation 1 on (search + checkpoint writes, s): what
    /// a `--time-limit` session counts.
    static func generationsWallTime(_ db: String) throws -> Double {
        let d = try Database(path: db, mode: .readOnly)
        let s = try d.prepare("SELECT total(compute_seconds + write_seconds) FROM generations WHERE generation > 0")
        _ = try s.step()
        return s.double(0)
    }

    /// The last stored generation's number.
    static func lastGeneration(_ db: String) throws -> Int {
        let d = try Database(path: db, mode: .readOnly)
        let s = try d.prepare("SELECT max(generation) FROM generations")
        _ = try s.step()
        return s.int(0)
    }

    /// The longest of the generations after `after` (search + write, s).
    static func longestGeneration(_ db: String, after: Int) throws -> Double {
        let d = try Database(path: db, mode: .readOnly)
        let s = try d.prepare("SELECT max(compute_seconds + write_seconds) FROM generations WHERE generation > \(after)")
        _ = try s.step()
        return s.double(0)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    /// `evolve --time-limit T`, Ctrl-C after W1 ≥ 1.5 s of generations, then `resume` with no
    /// limit: the resumed session searches for the rest of the GA's share S of T, S − W1, not a
    /// fresh T, and stops by the time limit; the run's generations took S in all. S is T for the
    /// GA alone (`--static-indices`) and 70 % of T with the refinement stage, which then gets the
    /// rest of T (so the resumed process lasts T − W1 unless the stage finishes sooner).
    /// Population 8 makes the checkpoint writes most of a generation's time, so that a rest
    /// computed from the search time alone would be off by most of W1.
    @Test(arguments: [true, false])
    func resumeRunsWhatIsLeftOfTheTimeLimit(staticIndices: Bool) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.path("t.sqlite")
        let limit = staticIndices ? 4.0 : 6.0, share = staticIndices ? limit : 0.7 * limit
        let p = try Background(Paths.executable, ["evolve", Self.target, "--db", db, "--time-limit", "\(limit)",
                                                  "--population", "8", "--seed", "3", "--quiet"]
                                                 + (staticIndices ? ["--static-indices"] : []), in: dir)
        let ran = eventually(within: 30) { ((try? Self.generationsWallTime(db)) ?? 0) >= 1.5 }
        p.signal(SIGINT)
        #expect(p.wait() == 130, "\(p.stderr)")
        try #require(ran, "the run did not store 1.5 s of generations")
        let first = try Self.generationsWallTime(db), firstLast = try Self.lastGeneration(db)
        try #require(first < share - 1, "the first session used too much of the search's share (\(first) s) to test the rest")

        let clock = ContinuousClock(), start = clock.now
        let r = try fmevolve("resume", db, "--quiet", "--json", "--out-dir", dir.path("out"))
        let wall = (clock.now - start) / .seconds(1)
        #expect(r.status == 0, "\(r.stderr)")
        let report = try Self.json(r.stdout)
        #expect(report["stopped_by"] as? String == "time limit")
        let seconds = try #require(report["seconds"] as? Double)
        // the rest of the share: the limit is checked between generations, so the session may
        // overrun it by the generation in flight — about a millisecond, but one that builds the
        // structure screen (a resumed run's first restart) or sweeps takes longer, the more so
        // on a loaded machine; the margin is that session's longest generation plus 0.25 s
        let inFlight = try Self.longestGeneration(db, after: firstLast) + 0.25
        #expect(seconds > share - first - 0.25 && seconds < share - first + inFlight,
                "resumed for \(seconds) s; the rest was \(share - first) s, the longest generation \(inFlight - 0.25) s")
        // in all, the run's generations took the share: at least S less the unstored write time
        // of each session's last commit (0.25 s), at most S plus the generation in flight
        let total = try Self.generationsWallTime(db)
        #expect(total >= share - 0.25 && total <= share + inFlight, "the generations took \(total) s in all")
        // `runs` reports the same run: its search time is part of that total
        let runs = try Self.json(try fmevolve("runs", db, "--json").stdout)
        let run = try #require((runs["runs"] as? [[String: Any]])?.first)
        let compute = try #require(run["compute_s"] as? Double), write = try #require(run["write_s"] as? Double)
        #expect(compute > 0 && compute + write >= share - 0.25)
        // the refinement stage: none for the GA alone; else it had the rest of the limit
        if staticIndices {
            #expect(report["refinement_steps"] as? Int == 0 && report["dynamic"] as? Bool == false)
        } else {
            #expect(try #require(report["refinement_steps"] as? Int) >= 1)
            let finished = try #require(report["refinement_finished"] as? Bool)
            #expect(finished || wall >= limit - first, "the stage stopped unfinished; the session lasted \(wall) s of \(limit - first) s")
        }
    }

    /// The same samples with a different stored analysis (its fingerprint altered in the run's
    /// row, as a checkpoint of another fmevolve version would have): one line on stderr naming
    /// the problem, exit 2, and the file byte for byte as before.
    @Test func resumeRefusesAChangedAnalysis() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = dir.path("a.sqlite")
        let r0 = try fmevolve("evolve", Self.target, "--db", db, "--generations", "4", "--population", "16", "--quiet",
                              "--static-indices", "--out-dir", dir.path("out"))
        try #require(r0.status == 0, "\(r0.stderr)")
        do {
            let d = try Database(path: db, mode: .readWrite)
            try d.execute("UPDATE runs SET analysis_fingerprint = '00000000000000000000000000000000'")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let r = try fmevolve("resume", db, "--more", "2", "--quiet")
        #expect(r.status == 2)
        #expect(r.stderrLines == ["fmevolve: error: the analysis of \(Self.target) differs from the checkpoint's (another fmevolve version?); a resumed run would not match"])
        let unchanged = try Data(contentsOf: URL(fileURLWithPath: db)) == before      // a Bool: see sameBytes
        #expect(unchanged, "the file changed")
    }
}
