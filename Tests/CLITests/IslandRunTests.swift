import Foundation
import Testing
import TestSupport

/// `--islands` from the command line (issue 15): the run is stored, killed with SIGKILL at
/// random generations and resumed each time (with another thread count), and ends with every
/// generation's best and the champion of the uninterrupted run; a migration is in every stretch.
@Suite struct IslandRunTests {
    static let target = Paths.target("clarinet-D4.wav")
    static let args = ["--generations", "400", "--population", "48", "--islands", "3", "--migrate-every", "7", "--migrants", "2",
                       "--seed", "8", "--static-indices"]

    @Test func killedIslandsResumeBitIdentical() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let reference = dir.path("reference.sqlite"), killed = dir.path("killed.sqlite")
        let ref = try RunOutput.evolve([Self.target, "--db", reference, "--out-dir", dir.path("ref"), "--threads", "2"] + Self.args)
        #expect(ref.stderr.contains("3 islands of 16"), "\(ref.stderr)")

        var rng = SystemRandomNumberGenerator()
        let moments = (0..<4).map { _ in Int.random(in: 10...380, using: &rng) }.sorted()
        var kills = 0, finished = false, attempts = 0
        while !finished && attempts < 12 {
            attempts += 1
            let threads = ["--threads", attempts % 2 == 0 ? "1" : "2"]
            let command = attempts == 1 ? ["evolve", Self.target, "--db", killed, "--out-dir", dir.path("killed")] + threads + Self.args
                                        : ["resume", killed, "--out-dir", dir.path("killed")] + threads
            let p = try Background(Paths.executable, command, in: dir)
            if kills < moments.count {
                let g = moments[kills]
                _ = eventually(within: 60) { !p.process.isRunning || ((try? storedGenerations(killed))?.newest ?? -1) >= g }
                usleep(UInt32.random(in: 0...20_000, using: &rng))
                p.signal(SIGKILL)
            }
            let status = p.wait()
            if p.process.terminationReason == .uncaughtSignal { kills += 1 } else {
                #expect(status == 0, "\(p.stderr)")
                finished = status == 0
            }
        }
        #expect(kills >= 3 && finished, "\(kills) kills")
        #expect(try bestPerGeneration(reference) == bestPerGeneration(killed))
        #expect(try championPatch(dir.path("ref/clarinet-D4.champion.json")) == championPatch(dir.path("killed/clarinet-D4.champion.json")))
    }

    @Test(arguments: [
        (["--islands", "0"], "--islands must be at least 1"),
        (["--islands", "60"], "--population 200 gives islands of fewer than 4 genomes; use fewer --islands or a larger --population"),
        (["--islands", "4", "--migrants", "50"], "--migrants must be between 0 and an island's population − 1 (49)"),
        (["--islands", "4", "--migrate-every", "0"], "--migrate-every must be at least 1"),
    ])
    func badIslandOptions(arguments: [String], message: String) throws {
        let r = try fmevolve(arguments: ["evolve", Self.target] + arguments)
        #expect(r.status == 64 && r.stderrLines.count == 1 && r.stderr.contains(message), "\(r.stderr)")
    }
}
