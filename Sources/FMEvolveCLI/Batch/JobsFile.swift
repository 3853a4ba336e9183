import Foundation

/// A batch split into one job per note, for GNU parallel or a Slurm array: written by
/// `fmevolve batch plan`, read by `fmevolve batch run --job I`. Plain text, tab-separated:
///
///     # comment lines
///     out   <the output folder, absolute>
///     args  <the plan's arguments, one per field: the match options every job uses>
///     job   <I>   <name>   <the recording, absolute>
///
/// The notes are listed, not re-found, so that a file added to the folder later cannot shift
/// the jobs' numbers.
struct JobsFile: Equatable {
    static let header = "# fmevolve batch jobs, format 1"
    var out: String
    var arguments: [String]
    var notes: [BatchNote]

    var text: String {
        var lines = [Self.header,
                     "# \(notes.count) jobs, 0…\(notes.count - 1): run job I with 'fmevolve batch run THIS-FILE --job I'",
                     "# (GNU parallel: ::: $(seq 0 \(notes.count - 1)); Slurm: sbatch --array=0-\(notes.count - 1)).",
                     "out\t\(out)", (["args"] + arguments).joined(separator: "\t")]
        lines += notes.enumerated().map { "job\t\($0.offset)\t\($0.element.name)\t\($0.element.path)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Fields cannot hold tabs or line breaks.
    static func check(_ fields: [String]) throws {
        if let bad = fields.first(where: { $0.contains("\t") || $0.contains("\n") || $0.contains("\r") }) {
            throw CLIError(description: "a batch plan cannot hold \(bad.debugDescription): tabs and line breaks are not allowed")
        }
    }

    static func read(path: String) throws -> JobsFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError(description: "\(path): no such jobs file (write one with 'fmevolve batch plan')")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.first.map(String.init) == header else {
            throw CLIError(description: "\(path) is not a jobs file of 'fmevolve batch plan'")
        }
        var out: String?, arguments: [String]?, notes: [BatchNote] = []
        for (number, line) in lines.enumerated() where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch (f[0], f.count) {
            case ("out", 2): out = f[1]
            case ("args", _): arguments = Array(f.dropFirst())
            case ("job", 4) where Int(f[1]) == notes.count: notes.append(BatchNote(name: f[2], path: f[3]))
            default: throw CLIError(description: "\(path), line \(number + 1): not a jobs-file line")
            }
        }
        guard let out, let arguments, !notes.isEmpty else {
            throw CLIError(description: "\(path) is incomplete (it needs out, args and at least one job)")
        }
        return JobsFile(out: out, arguments: arguments, notes: notes)
    }
}
