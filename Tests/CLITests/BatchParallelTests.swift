import Foundation
import Testing
import TestSupport

/// `fmevolve batch plan` + `batch run --job I` under GNU parallel on two "hosts" (issue 15,
/// acceptance 3): the same per-note results as one `fmevolve batch`.
@Suite struct BatchParallelTests {
    @Test func parallelOnTwoHostsGivesTheSameNotes() throws {
        let parallel = try #require(which("parallel"), "GNU parallel is not installed; 'make test' installs it")
        let reference = try BatchFixture.shared.referenceFolder()
        let notes = try BatchFixture.notes()
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let jobs = dir.path("jobs.txt"), joblog = dir.path("jobs.log"), hosts = dir.path("hosts.log")
        let ssh = try StandInSSH.install(in: dir, log: hosts)

        let plan = try fmevolve(arguments: ["batch", "plan"] + notes + ["--out", dir.path("out")] + BatchFixture.options)
        try #require(plan.status == 0, "\(plan.stderr)")
        try plan.stdout.write(toFile: jobs, atomically: true, encoding: .utf8)
        #expect(plan.stdout.split(separator: "\n").filter { $0.hasPrefix("job\t") }.count == notes.count)

        // one job slot on each of two hosts; the jobs take turns on both
        let command = ["--will-cite", "--ssh", ssh, "-S", "1/hostA,1/hostB", "--joblog", joblog,
                       Paths.executable, "batch", "run", jobs, "--job", "{}", "--quiet", ":::"] + notes.indices.map(String.init)
        let r = try run(parallel, command)
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        #expect(try StandInSSH.hosts(hosts) == ["hostA", "hostB"])
        let log = try String(contentsOfFile: joblog, encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(log.count == notes.count && log.allSatisfy { $0.split(separator: "\t")[6] == "0" }, "\(log)")
        try BatchFixture.expectSameNotes(dir.path("out"), as: reference)

        let status = try fmevolve("batch", "status", jobs)
        #expect(status.status == 0 && status.stdout.contains("\(notes.count) of \(notes.count) notes done"), "\(status.stdout) \(status.stderr)")
        // --resume-failed with the job log: nothing failed, nothing runs again
        let again = try run(parallel, ["--resume-failed"] + command)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try String(contentsOfFile: joblog, encoding: .utf8).split(separator: "\n").count == notes.count + 1)
    }
}
