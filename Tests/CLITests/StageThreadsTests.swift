import Foundation
import Testing
import TestSupport

/// One seed, one result, whatever the thread count — the refinement stage too: its frames are
/// evaluated in parallel but summed in frame order, so a run with 1 thread and one with 2 write
/// the same patch, bit for bit (index envelopes, amplitude envelopes, errors).
@Suite struct StageThreadsTests {
    @Test func theRefinedPatchDoesNotDependOnThreads() throws {
        let dir = try TemporaryDirectory("stage-threads")
        defer { dir.remove() }
        var patches = [[String: Any]]()
        for threads in ["1", "2"] {
            _ = try RunOutput.evolve([Paths.target("oboe-C5.wav"), "--generations", "60", "--population", "40",
                                      "--threads", threads, "--db", dir.path("t\(threads).sqlite"),
                                      "--out-dir", dir.path("t\(threads)"), "--quiet"])
            var patch = try RunOutput.file(dir.path("t\(threads)/oboe-C5.champion.json"))
            patch["run"] = nil                                    // its database path and seconds differ
            patches.append(patch)
        }
        let units = try #require(patches[0]["units"] as? [[String: Any]])
        #expect(units.contains { $0["index1_envelope"] != nil }, "the run was refined")
        let a = try JSONSerialization.data(withJSONObject: patches[0], options: [.sortedKeys])
        let b = try JSONSerialization.data(withJSONObject: patches[1], options: [.sortedKeys])
        #expect(a == b, "the patches of 1 and 2 threads differ")
    }
}
