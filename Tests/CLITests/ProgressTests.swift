import Foundation
import Testing
import TestSupport

/// Progress on stderr when it is a file (not a terminal): a first line describing the target, a
/// second saying how its pitch moves, then plain lines `gen G  best E  mean E  R eval/s  T s / ETA T s` at most one every 0.5 s,
/// and the last generation's line; then the refinement stage: a line naming its candidates and
/// one line per step, `refine step N  PHASE  err E (static E)  T s`.
@Suite struct ProgressTests {
    /// Progress.swift's line: err with 5 decimals, the rate as 123 / 12.3k / 1.23M, times in 0.1 s.
    static var line: Regex<AnyRegexOutput> { try! Regex(#"gen (\d+)  best (\d+\.\d{5})  mean (\d+\.\d{5})  (\d+|\d+\.\dk|\d+\.\d\dM) eval/s  (\d+\.\d) s / ETA (\d+\.\d) s"#) }
    static var header: Regex<AnyRegexOutput> { try! Regex(#"target (.+): f0 (\d+\.\d\d) Hz, (\d+) harmonics, (\d+) active frames; (.+)"#) }
    static var stage: Regex<AnyRegexOutput> { try! Regex(#"refinement: (\d+) candidate structures?, screening 1/(\d+)"#) }
    /// StageLoop's line: the step, the phase after it, its err and static err, the stage's seconds.
    static var step: Regex<AnyRegexOutput> { try! Regex(#"refine step (\d+)  (.+)  err (\d+\.\d{5}) \(static (\d+\.\d{5})\)  (\d+\.\d) s"#) }

    struct Line {
        var generation: Int, best: String, mean: String, rate: Double, rateUnit: Double, elapsed: Double, eta: Double
    }

    static func parse(_ text: String) -> Line? {
        guard let m = text.wholeMatch(of: line) else { return nil }
        func s(_ i: Int) -> String { String(m.output[i].substring!) }
        let r = s(4)
        let (value, unit): (Double, Double) = r.hasSuffix("M") ? (Double(r.dropLast())! * 1e6, 1e4)
            : r.hasSuffix("k") ? (Double(r.dropLast())! * 1e3, 1e2) : (Double(r)!, 1)
        return Line(generation: Int(s(1))!, best: s(2), mean: s(3), rate: value, rateUnit: unit,
                    elapsed: Double(s(5))!, eta: Double(s(6))!)
    }

    @Test func formatAndRate() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let target = Paths.target("oboe-C5.wav"), db = dir.path("p.sqlite")
        let limit = 2.0                                        // s
        let run = try Background(Paths.executable, ["evolve", target, "--time-limit", String(limit), "--population", "16",
                                                    "--carriers", "1", "--db", db, "--json"], in: dir)
        let ended = eventually(within: 120) { !run.process.isRunning }
        if !ended { run.signal(SIGKILL) }
        try #require(run.wait() == 0 && ended, "\(run.stderr)")
        let report = try RunOutput.object(run.stdout)
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(lines.last == "" && lines.count >= 4, "\(run.stderr)")      // ends with a newline

        // the first line: the target, its f0 and the analysis sizes
        let analysis = try RunOutput.analysis(target)
        let h = try #require(lines[0].wholeMatch(of: Self.header), "first line: \(lines[0])")
        #expect(String(h.output[1].substring!) == target)
        #expect(String(h.output[2].substring!) == String(format: "%.2f", try #require(report.jsonDouble("f0"))))
        #expect(Int(h.output[3].substring!) == analysis.jsonInt("harmonics"))
        #expect(Int(h.output[4].substring!) == analysis.jsonInt("active_frames"))   // the frames the fit uses

        // the second: how the pitch moves (the oboe's vibrato: a pitch curve)
        #expect(lines[1].hasPrefix("pitch       follows the note: glide of "), "second line: \(lines[1])")
        #expect(lines[1].contains("; vibrato "), "second line: \(lines[1])")

        // then the generations' progress lines, then the stage's
        let stageAt = try #require(lines.firstIndex { $0.hasPrefix("refinement: ") }, "no refinement stage: \(run.stderr)")
        let progress = lines[2..<stageAt]
        let parsed = progress.compactMap(Self.parse)
        #expect(parsed.count == progress.count, "lines not in the format: \(progress.filter { Self.parse($0) == nil })")
        try #require(parsed.count >= 2)

        // at most one every 0.5 s, and the last generation's: count ≤ elapsed/0.5 + 2
        let seconds = try #require(report.jsonDouble("seconds"))
        #expect(Double(parsed.count) <= seconds / 0.5 + 2, "\(parsed.count) lines in \(seconds) s")
        for (a, b) in zip(parsed.dropLast(), parsed.dropLast().dropFirst()) {
            #expect(b.generation > a.generation)
            #expect(b.elapsed - a.elapsed >= 0.5 - 0.1 - 1e-9, "\(a.elapsed) s then \(b.elapsed) s")   // 0.1 s: two roundings to 0.1 s
        }
        for l in parsed {      // ETA = the search's share of the time limit (70 %) − elapsed (each rounded to 0.1 s)
            #expect(l.eta == 0 || abs(l.elapsed + l.eta - 0.7 * limit) <= 0.1 + 1e-9, "\(l.elapsed) s / ETA \(l.eta) s")
        }

        // the last line is the final generation, and agrees with the report and the checkpoint
        let last = try #require(parsed.last)
        let stored = try #require(try RunOutput.history(db).last)
        #expect(last.generation == report.jsonInt("generations"))
        #expect(last.generation == stored.jsonInt("generation"))
        #expect(last.best == String(format: "%.5f", try #require(stored.jsonDouble("best"))))   // the GA champion's err
        #expect(last.mean == String(format: "%.5f", try #require(stored.jsonDouble("mean"))))
        #expect(last.elapsed <= seconds + 0.05)                // 0.05 s: rounding to 0.1 s
        // the line's rate is this session's evaluations over the elapsed time at that generation;
        // the report's is the same evaluations over the (slightly later) end of the loop
        let rate = try #require(report.jsonDouble("evals_per_s"))
        #expect(last.rate >= rate - last.rateUnit / 2 - 1e-9, "line \(last.rate) eval/s, report \(rate)")
        #expect(last.rate <= 2 * rate + last.rateUnit / 2, "line \(last.rate) eval/s, report \(rate)")

        // the stage: its candidates, then one line per step, numbered from 1 to the report's
        // steps, with the stage's seconds rising; the last one is the result's err and static err
        let head = try #require(lines[stageAt].wholeMatch(of: Self.stage), "\(lines[stageAt])")
        #expect(head.output[1].substring == head.output[2].substring)
        let steps = try lines[(stageAt + 1)..<(lines.count - 1)].map { line in
            try #require(line.wholeMatch(of: Self.step), "not a step line: \(line)")
        }
        let numbers = steps.map { Int($0.output[1].substring!)! }, times = steps.map { Double($0.output[5].substring!)! }
        #expect(numbers == Array(1...max(1, numbers.count)) && numbers.count == report.jsonInt("refinement_steps"))
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
        let final = try #require(steps.last)
        #expect(String(final.output[3].substring!) == String(format: "%.5f", try #require(report.jsonDouble("err"))))
        #expect(String(final.output[4].substring!) == String(format: "%.5f", try #require(report.jsonDouble("static_err"))))
        #expect(String(final.output[5].substring!) == String(format: "%.1f", try #require(report.jsonDouble("refinement_s"))))
        let finished = try #require(report["refinement_finished"] as? Bool)
        #expect((final.output[2].substring == "done") == finished, "\(final.output[2].substring!), finished \(finished)")
    }

    /// Nothing on stderr with --quiet, the refinement stage's lines included.
    @Test func quietPrintsNothing() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let r = try RunOutput.evolve([Paths.target("oboe-C5.wav"), "--generations", "3", "--population", "8", "--carriers", "1",
                                      "--db", dir.path("q.sqlite"), "--quiet"])
        #expect(r.stderr.isEmpty)
        #expect(!r.stdout.isEmpty)
    }
}
