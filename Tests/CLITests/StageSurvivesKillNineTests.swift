import Foundation
import Testing
import TestSupport

/// The refinement stage survives SIGKILL: killed at random moments during the stage and resumed
/// each time, a run ends with the very patch of an uninterrupted run (same seed, --generations):
/// units, amplitude envelopes, index envelopes, err — every field but where and how long it ran.
/// Every resumed session continues from the newest stored step: it recomputes no stored step and
/// runs no generation.
@Suite struct StageSurvivesKillNineTests {
    static let target = Paths.target("oboe-C5.wav")
    /// A quick search (12 generations of 24 two-unit genomes), then a stage of a dozen steps.
    static let args = ["--generations", "12", "--population", "24", "--carriers", "2", "--seed", "11", "--threads", "2"]

    /// Kills: one between the search's last generation and the stage's first commit (or in it),
    /// then four a random 0–100 ms after a random stored step (rising; at least one step after the
    /// session's first), so that they land anywhere in a step's computation or its commit.
    @Test func killedDuringTheStageEndsAsIfUninterrupted() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let reference = dir.path("reference.sqlite"), killed = dir.path("killed.sqlite")
        let done = try RunOutput.object(try RunOutput.evolve([Self.target, "--db", reference, "--out-dir", dir.path("ref"),
                                                              "--quiet", "--json"] + Self.args).stdout)
        let steps = try #require(done.jsonInt("refinement_steps"))
        try #require(done["refinement_finished"] as? Bool == true && steps >= 8, "a stage of \(steps) steps is too short to kill")

        var rng = SystemRandomNumberGenerator()
        let moments = [-1] + Array(Set((0..<40).map { _ in Int.random(in: 0...(steps - 2), using: &rng) })).sorted().prefix(4)
        var kills = 0, finished = false, attempts = 0, newestStep = -1
        var last: Background?
        while !finished && attempts < 20 {
            attempts += 1
            let before = (try? storedRefinementRows(killed)) ?? [:]
            let resumedAt = before.keys.max() ?? -1
            let command = attempts == 1 ? ["evolve", Self.target, "--db", killed, "--out-dir", dir.path("killed")] + Self.args
                                        : ["resume", killed, "--out-dir", dir.path("killed")]
            let p = try Background(Paths.executable, command, in: dir)
            if kills < moments.count {
                let moment = moments[kills]
                if moment < 0 {
                    _ = eventually(within: 60) { !p.process.isRunning || ((try? storedGenerations(killed))?.newest ?? -1) >= 12 }
                    usleep(UInt32.random(in: 0...30_000, using: &rng))
                } else {
                    // at least one step of this session's, so that the kill comes during the stage, not its start-up
                    let step = max(moment, resumedAt + 1)
                    _ = eventually(within: 60) { !p.process.isRunning || ((try? storedRefinementSteps(killed))?.newest ?? -1) >= step }
                    usleep(UInt32.random(in: 0...100_000, using: &rng))
                }
                p.signal(SIGKILL)
            }
            let status = p.wait()
            if p.process.terminationReason == .uncaughtSignal { kills += 1 } else {
                #expect(status == 0, "\(p.stderr)")
                finished = status == 0
                last = p
            }
            // the file opens; the search stays at 12 generations; the steps are contiguous, none
            // committed is lost, and none committed before this session was computed again
            let (count, newest) = try storedRefinementSteps(killed)
            #expect(count == newest + 1, "steps must be contiguous")
            #expect(newest >= newestStep, "step \(newestStep) was committed but is missing")
            newestStep = max(newestStep, newest)
            let generations = try storedGenerations(killed)
            #expect(generations.newest <= 12 && generations.count == generations.newest + 1)
            let after = try storedRefinementRows(killed)
            for (step, seconds) in before { #expect(after[step] == seconds, "step \(step) was computed again") }
            // a resumed session runs no generation, and starts where the file was: at the stage's
            // next step
            if attempts > 1 {
                #expect(!p.stderr.split(separator: "\n").contains { $0.hasPrefix("gen ") }, "generations ran: \(p.stderr)")
            }
            if attempts > 1 && resumedAt >= 0 {
                #expect(p.stderr.contains("in its refinement stage (") && p.stderr.contains(", step \(resumedAt)), "),
                        "resumed at step \(resumedAt): \(p.stderr)")
                let lines = refineStepLines(p.stderr)
                #expect(lines.isEmpty || lines == Array((resumedAt + 1)...(resumedAt + lines.count)), "steps \(lines) after \(resumedAt)")
            }
        }
        #expect(kills == moments.count, "only \(kills) of \(moments.count) kills landed")
        #expect(finished)
        #expect(try storedGenerations(killed).newest == 12 && storedRefinementSteps(killed).newest == steps)
        #expect(last.map { refineStepLines($0.stderr).last == steps } ?? false, "the last session did not end the stage")

        let a = try championPatch(dir.path("ref/oboe-C5.champion.json")), b = try championPatch(dir.path("killed/oboe-C5.champion.json"))
        for key in ["err", "static_err", "render_err"] { #expect(a[key] as? Double == b[key] as? Double, "\(key)") }
        let ua = try #require(a["units"] as? [[String: Any]]), ub = try #require(b["units"] as? [[String: Any]])
        try #require(ua.count == ub.count)
        for (x, y) in zip(ua, ub) {
            for key in ["envelope", "index1_envelope", "index2_envelope"] {
                #expect(try #require(x[key] as? [[Double]]) == (try #require(y[key] as? [[Double]])), "\(key)")
            }
        }
        #expect(a == b)                                        // and every other field
    }
}
