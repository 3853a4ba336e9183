import Foundation
import Testing
import TestSupport

/// `fmevolve batch plan` + `batch run --job I` under GNU parallel on two "hosts" (issue 15,
/// acceptance 3): the same per-note results as one `fmevolve batch`.
@Suite struct BatchParallelTests {
    /// Stands in for ssh: drops ssh's options, logs the host name, and runs the command here the
    /// way sshd does (the words joined by spaces, given to a shell).
    static let standInSSH = """
        #!/bin/bash
        while [ $# -gt 0 ]; do
          case "$1" in
            -o|-p|-l|-i|-F|-S|-O|-E|-b|-c|-m) shift 2 ;;
            -*) shift ;;
            *) break ;;
          esac
        done
        host=$1; shift
        [ "${1:-}" = "--" ] && shift
        echo "$host" >> "$FAKE_SSH_LOG"
        exec bash -c "$*"

        """

    @Test func parallelOnTwoHostsGivesTheSameNotes() throws {
        let parallel = try #require(which("parallel"), "GNU parallel is not installed; 'make test' installs it")
        let reference = try BatchFixture.shared.referenceFolder()
        let notes = try BatchFixture.notes()
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let ssh = dir.path("ssh"), jobs = dir.path("jobs.txt"), joblog = dir.path("jobs.log"), hosts = dir.path("hosts.log")
        try Self.standInSSH.write(toFile: ssh, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: ssh)

        let plan = try fmevolve(arguments: ["batch", "plan"] + notes + ["--out", dir.path("out")] + BatchFixture.options)
        try #require(plan.status == 0, "\(plan.stderr)")
        try plan.stdout.write(toFile: jobs, atomically: true, encoding: .utf8)
        #expect(plan.stdout.split(separator: "\n").filter { $0.hasPrefix("job\t") }.count == notes.count)

        // one job slot on each of two hosts; the jobs take turns on both
        let command = ["--will-cite", "--ssh", ssh, "-S", "1/hostA,1/hostB", "--joblog", joblog,
                       Paths.executable, "batch", "run", jobs, "--job", "{}", "--quiet", ":::"] + notes.indices.map(String.init)
        let r = try run(parallel, command, environment: ["FAKE_SSH_LOG": hosts])
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        let used = Set(try String(contentsOfFile: hosts, encoding: .utf8).split(separator: "\n").map(String.init))
        #expect(used == ["hostA", "hostB"])
        let log = try String(contentsOfFile: joblog, encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(log.count == notes.count && log.allSatisfy { $0.split(separator: "\t")[6] == "0" }, "\(log)")
        try BatchFixture.expectSameNotes(dir.path("out"), as: reference)

        let status = try fmevolve("batch", "status", jobs)
        #expect(status.status == 0 && status.stdout.contains("8 of 8 notes done"), "\(status.stdout) \(status.stderr)")
        // --resume-failed with the job log: nothing failed, nothing runs again
        let again = try run(parallel, ["--resume-failed"] + command, environment: ["FAKE_SSH_LOG": hosts])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try String(contentsOfFile: joblog, encoding: .utf8).split(separator: "\n").count == notes.count + 1)
    }
}
