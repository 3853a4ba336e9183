import Foundation

/// A stand-in for ssh, so that tools which reach other hosts through ssh (GNU parallel's -S,
/// Open MPI's rsh launcher) can be tested on one machine: it drops ssh's options, appends the
/// host name to a log, and runs the command here the way sshd does: the remaining words joined
/// by spaces, given to a shell, with SHELL set to the user's login shell (sshd sets it; GNU
/// parallel's remote wrapper runs the job with $SHELL and, without it, runs nothing and reports
/// success — which is what a CI environment without SHELL did).
public enum StandInSSH {
    /// Writes the program into `dir` (as `name`, executable); the hosts it was asked to reach go
    /// to `log`, one per line. Returns its path.
    public static func install(in dir: TemporaryDirectory, name: String = "ssh", log: String) throws -> String {
        let script = """
            #!/bin/bash
            while [ $# -gt 0 ]; do
              case "$1" in
                -o|-p|-l|-i|-F|-S|-O|-E|-b|-c|-m) shift 2 ;;
                -*) shift ;;
                *) break ;;
              esac
            done
            echo "$1" >> '\(log)'
            shift
            [ "${1:-}" = "--" ] && shift
            export SHELL="$(getent passwd "$(id -un)" | cut -d: -f7)"
            : "${SHELL:=/bin/sh}"
            exec bash -c "$*"

            """
        let path = dir.path(name)
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    /// The distinct hosts in a log.
    public static func hosts(_ log: String) throws -> Set<String> {
        Set(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init))
    }
}
