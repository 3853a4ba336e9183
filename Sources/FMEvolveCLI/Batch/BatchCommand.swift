import ArgumentParser
import Foundation

/// `fmevolve batch`: a sample library, one note after another or one job per note.
struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Match every note of a sample library, resumably.",
        discussion: """
        'fmevolve batch DIR --out OUT' matches the notes one after another with every core; killed \
        and rerun, it skips the notes that are done and resumes the one it was in. 'batch plan' and \
        'batch run --job I' make the same work one job per note, for GNU parallel or a Slurm array.
        """,
        subcommands: [BatchMatch.self, BatchPlan.self, BatchRun.self, BatchStatus.self],
        defaultSubcommand: BatchMatch.self)
}

/// Output options of the batch commands.
struct BatchOutputOptions: ParsableArguments {
    @Option(help: "Worker threads per note (default: every core); the results do not depend on it.")
    var threads: Int?

    @Flag(help: "No progress on stderr.")
    var quiet = false

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func say(_ line: String) { if !quiet { FMEvolve.stderr(line) } }
}

struct BatchMatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Match every note (the default: 'fmevolve batch DIR --out OUT').",
        discussion: """
        Each note gets OUT/<name>.sqlite (its checkpoint) and OUT/<name>.champion.json and .wav, \
        <name> being its path under DIR. The summary (note, f0, err, time, status) is printed and \
        written to OUT/batch-summary.csv and .json. Exit status 1 when a note failed.
        """)

    @Argument(help: "Folders (searched recursively for audio files) and recordings.")
    var notes: [String] = []

    @Option(help: "Output folder: the notes' checkpoints, patches and renders, and the summary.")
    var out: String

    @OptionGroup var match: MatchOptions
    @OptionGroup var output: BatchOutputOptions

    func validate() throws {
        if notes.isEmpty { throw ValidationError("give at least one folder or recording") }
        try match.validate()
        try output.validate()
    }

    func run() throws {
        let list = try BatchNotes.collect(notes)
        let folder = URL(fileURLWithPath: out).standardizedFileURL.path
        try ensureFolder(folder)
        var failures: [String: String] = [:]
        for (i, note) in list.enumerated() {
            let job = BatchJob(files: BatchFiles(note: note, out: folder), match: match, threads: output.threads)
            guard let kind = job.next else { continue }
            let tag = "batch [\(i + 1)/\(list.count)] \(note.name)"
            output.say("\(tag): \(kind.rawValue)")
            do {
                let report = try job.run()
                output.say("\(tag): err \(fmt(report.champion.renderErr, 4)) (fit \(fmt(report.champion.err, 4)))")
            } catch {
                failures[note.name] = FMEvolve.oneLine(error)
                output.say("\(tag): failed: \(failures[note.name]!)")
            }
        }
        let summary = BatchSummary.read(list, out: folder, failures: failures)
        try summary.write(to: folder)
        print(output.json ? summary.json : summary.table, terminator: output.json ? "" : "\n")
        if !failures.isEmpty {
            throw CLIError(description: "\(failures.count) of \(list.count) notes failed", exitCode: 1)
        }
    }
}

struct BatchPlan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Write the jobs file of a batch: one job per note (to stdout).",
        discussion: """
        Takes the arguments of 'fmevolve batch' (notes, --out, match options). Then, e.g.: \
        parallel -S host1,host2 --joblog jobs.log fmevolve batch run jobs.txt --job {} ::: $(seq 0 N-1), \
        or: sbatch --array=0-N-1%K --wrap 'fmevolve batch run jobs.txt'.
        """)

    @Argument(parsing: .captureForPassthrough, help: "Folders, recordings, --out and match options, as for 'fmevolve batch'.")
    var arguments: [String] = []

    func run() throws {
        let batch = try BatchMatch.parse(arguments)
        try JobsFile.check(arguments)
        let list = try BatchNotes.collect(batch.notes)
        try JobsFile.check(list.flatMap { [$0.name, $0.path] })
        let folder = URL(fileURLWithPath: batch.out).standardizedFileURL.path
        // the notes are not match options: the jobs file lists them
        let options = Self.dropping(batch.notes, from: arguments)
        print(JobsFile(out: folder, arguments: options, notes: list).text, terminator: "")
        FMEvolve.stderr("\(list.count) jobs (0…\(list.count - 1)); run job I with: fmevolve batch run JOBS-FILE --job I")
    }

    /// The arguments without the positional notes (each removed once, where it stands alone).
    static func dropping(_ notes: [String], from arguments: [String]) -> [String] {
        var rest = arguments, index = rest.startIndex
        for note in notes {
            while index < rest.endIndex, rest[index] != note { index += 1 }
            if index < rest.endIndex { rest.remove(at: index) }
        }
        return rest
    }
}

struct BatchRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one job of a jobs file: match (or resume, or skip when done) its note.",
        discussion: "Without --job, Slurm's SLURM_ARRAY_TASK_ID. Exit status 0 when the note is done.")

    @Argument(help: "The jobs file written by 'fmevolve batch plan'.")
    var jobs: String

    @Option(help: "The job's number, from 0.")
    var job: Int?

    @OptionGroup var output: BatchOutputOptions

    func run() throws {
        let file = try JobsFile.read(path: jobs)
        let batch = try BatchMatch.parse(["-"] + file.arguments)
        let env = ProcessInfo.processInfo.environment["SLURM_ARRAY_TASK_ID"]
        guard let i = job ?? env.flatMap({ Int($0) }) else {
            throw CLIError(description: "give --job I (0…\(file.notes.count - 1)) or run it in a Slurm array")
        }
        guard file.notes.indices.contains(i) else {
            throw CLIError(description: "\(jobs) has \(file.notes.count) jobs (0…\(file.notes.count - 1)); there is no job \(i)")
        }
        let note = file.notes[i]
        let job = BatchJob(files: BatchFiles(note: note, out: file.out), match: batch.match, threads: output.threads)
        let tag = "job \(i) \(note.name)"
        if let kind = job.next {
            output.say("\(tag): \(kind.rawValue)")
            _ = try job.run()
        } else {
            output.say("\(tag): done earlier")
        }
        let summary = BatchSummary.read([note], out: file.out)
        print(output.json ? summary.json : summary.table, terminator: output.json ? "" : "\n")
    }
}

struct BatchStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Where every job of a jobs file stands; writes the summary files into its output folder.")

    @Argument(help: "The jobs file written by 'fmevolve batch plan'.")
    var jobs: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let file = try JobsFile.read(path: jobs)
        let summary = BatchSummary.read(file.notes, out: file.out)
        try ensureFolder(file.out)
        try summary.write(to: file.out)
        print(json ? summary.json : summary.table, terminator: json ? "" : "\n")
    }
}
