import Foundation
import Testing
import TestSupport

/// Islands over Open MPI (issue 15, acceptance 1 and 2): the same seed and `--islands 4` give
/// the same champion, bit for bit, alone and under `mpirun -np 1`, `-np 2`, `-np 4
/// --oversubscribe`, and on two "hosts" (a hostfile and a stand-in ssh agent running the command
/// here); a rank killed with SIGKILL ends the job, and the job relaunched with `resume` ends as
/// the uninterrupted run. `make test` builds fmevolve with the MPI trait and installs Open MPI.
@Suite(.serialized) struct MPIIslandTests {
    static let target = Paths.target("clarinet-D4.wav")
    static let args = ["--population", "48", "--islands", "4", "--migrate-every", "7", "--migrants", "2", "--seed", "3",
                       "--static-indices", "--threads", "1", "--quiet"]
    /// What Open MPI needs in a root container on one machine.
    static let environment = ["OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
                              "OMPI_MCA_btl": "self,vader,tcp", "OMPI_MCA_btl_vader_single_copy_mechanism": "none",
                              "OMPI_MCA_btl_tcp_if_include": "lo", "OMPI_MCA_oob_tcp_if_include": "lo"]
    static func mpirun() throws -> String {
        try #require(which("mpirun"), "Open MPI is not installed; 'make test' installs openmpi-bin")
    }

    static func mpi(_ arguments: [String]) throws -> ProcessResult {
        try run(try mpirun(), arguments, environment: environment)
    }

    /// The run alone, then under mpirun in every placement: one result.
    @Test func everyPlacementGivesTheSameBits() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let gens = ["--generations", "40"]
        func evolve(_ name: String) -> [String] {
            ["evolve", Self.target, "--db", dir.path("\(name).sqlite"), "--out-dir", dir.path(name)] + gens + Self.args
        }
        let alone = try fmevolve(arguments: evolve("alone"))
        try #require(alone.status == 0, "\(alone.stderr)")
        let agent = try StandInSSH.install(in: dir, name: "agent", log: dir.path("agent.log"))
        try "127.0.0.2 slots=1\n127.0.0.3 slots=1\n".write(toFile: dir.path("hostfile"), atomically: true, encoding: .utf8)
        let placements: [(String, [String])] = [
            ("np1", ["-np", "1"]), ("np2", ["-np", "2"]), ("np4", ["-np", "4", "--oversubscribe"]),
            ("hosts", ["--hostfile", dir.path("hostfile"), "--mca", "plm_rsh_agent", agent, "-np", "2"]),
        ]
        for (name, placement) in placements {
            let r = try Self.mpi(placement + [Paths.executable] + evolve(name))
            if r.stderr.contains("built without MPI") {
                Issue.record("fmevolve was built without MPI: 'make test' builds it with --traits MPI"); return
            }
            #expect(r.status == 0, "\(name): \(r.stderr)")
            #expect(try sameBytes(dir.path("alone/clarinet-D4.champion.wav"), dir.path("\(name)/clarinet-D4.champion.wav")), "\(name)")
            #expect(try championPatch(dir.path("alone/clarinet-D4.champion.json")) == championPatch(dir.path("\(name)/clarinet-D4.champion.json")),
                    "\(name)")
            #expect(try bestPerGeneration(dir.path("alone.sqlite")) == bestPerGeneration(dir.path("\(name).sqlite")), "\(name)")
        }
        // both "hosts" ran a rank
        #expect(try StandInSSH.hosts(dir.path("agent.log")) == ["127.0.0.2", "127.0.0.3"])
    }

    /// SIGKILL to rank 1 mid-run ends the job; `mpirun -np 2 fmevolve resume` finishes it as if
    /// nothing had happened.
    @Test func killedRankResumesBitIdentical() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let gens = ["--generations", "300"]
        let reference = try fmevolve(arguments: ["evolve", Self.target, "--db", dir.path("ref.sqlite"), "--out-dir", dir.path("ref")]
                                     + gens + Self.args)
        try #require(reference.status == 0, "\(reference.stderr)")
        let db = dir.path("killed.sqlite")
        let job = Process()
        job.executableURL = URL(fileURLWithPath: try Self.mpirun())
        job.arguments = ["-np", "2", Paths.executable, "evolve", Self.target, "--db", db, "--out-dir", dir.path("killed")] + gens + Self.args
        job.environment = ProcessInfo.processInfo.environment.merging(Self.environment) { $1 }
        job.standardOutput = FileHandle.nullDevice
        job.standardError = FileHandle.nullDevice
        try job.run()
        let midway = eventually(within: 120) { ((try? storedGenerations(db))?.newest ?? -1) >= 100 }
        let rank1 = Self.rank(1, under: job.processIdentifier)
        try #require(midway && rank1 != nil, "no rank 1 to kill midway")
        kill(rank1!, SIGKILL)
        job.waitUntilExit()
        #expect(job.terminationStatus != 0, "a killed rank must end the job")
        let stopped = try storedGenerations(db)
        #expect(stopped.newest < 300 && stopped.count == stopped.newest + 1)

        let resumed = try Self.mpi(["-np", "2", Paths.executable, "resume", db, "--out-dir", dir.path("killed"), "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try bestPerGeneration(dir.path("ref.sqlite")) == bestPerGeneration(db))
        #expect(try championPatch(dir.path("ref/clarinet-D4.champion.json")) == championPatch(dir.path("killed/clarinet-D4.champion.json")))
    }

    /// The pid of MPI rank `rank` among the descendants of `root` (its environment names it).
    static func rank(_ rank: Int, under root: Int32) -> Int32? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        for e in entries {
            guard let pid = Int32(e), pid != root,
                  let env = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { continue }
            let vars = env.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard vars.contains("OMPI_COMM_WORLD_RANK=\(rank)"), stat.contains("fmevolve") else { continue }
            // a descendant of the job's mpirun
            var parent = pid
            for _ in 0..<6 {
                guard let s = try? String(contentsOfFile: "/proc/\(parent)/stat", encoding: .utf8),
                      let close = s.lastIndex(of: ")") else { break }
                let fields = s[s.index(after: close)...].split(separator: " ")
                guard fields.count > 1, let ppid = Int32(fields[1]) else { break }
                if ppid == root { return pid }
                parent = ppid
            }
        }
        return nil
    }
}
