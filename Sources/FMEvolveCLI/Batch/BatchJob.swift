import ArgumentParser
import Checkpoint
import Evolution
import Export
import Foundation

/// One note of a batch, matched in `out`: started, resumed where a killed session left it, or
/// left alone once its champion is written (the champion's JSON is written last, atomically, so
/// its presence means the note is done).
struct BatchJob {
    let files: BatchFiles
    let match: MatchOptions
    let threads: Int?

    var note: BatchNote { files.note }
    var database: String { files.database }
    var isDone: Bool { files.isDone }
    var isStarted: Bool { files.isStarted }

    enum Kind: String { case start = "starting", resume = "resuming" }

    /// What `run` will do (nil: nothing, the note is done).
    var next: Kind? { isDone ? nil : (isStarted ? .resume : .start) }

    /// Matches the note (or continues its match) to the end; the run's report.
    func run() throws -> Report {
        try ensureFolder(files.folder)
        var output = try RunOptions.parse(["--out-dir", files.folder, "--quiet"] + (threads.map { ["--threads", "\($0)"] } ?? []))
        output.json = false
        if isStarted {
            do {
                try checkSettings()
                var resume = try Resume.parse([database])
                resume.output = output
                return try resume.execute()
            } catch CheckpointError.noRuns, CheckpointError.emptyRun {
                // killed before its first generation was stored: nothing to keep
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
            }
        }
        var evolve = try Evolve.parse([note.path])
        evolve.match = match
        evolve.db = database
        evolve.output = output
        return try evolve.execute()
    }

    /// A checkpoint started with other settings is not continued under this batch's name.
    func checkSettings() throws {
        let store = try CheckpointStore(path: database, access: .read)
        let s = try store.latestRun().settings
        var differs: [String] = []
        if s.seed != match.seed { differs.append("seed \(s.seed)") }
        if s.config.carriers != match.search.carriers { differs.append("\(s.config.carriers) carriers") }
        let population = s.config.population * s.migration.islands
        if population != (match.search.population / match.islands) * match.islands { differs.append("population \(population)") }
        if s.migration != (match.migration ?? MigrationPolicy(islands: 1)) { differs.append("\(s.migration.islands) island\(s.migration.islands == 1 ? "" : "s")") }
        if s.stop != match.stop { differs.append("another stop rule") }
        let inharmonic = s.config.space.ratioGrid != nil
        if inharmonic && match.harmonic { differs.append("the inharmonic mode") }
        if !inharmonic && match.inharmonic { differs.append("the harmonic mode") }
        // the inharmonic mode has a fixed pitch whatever the options say
        if (s.refinement == nil) != match.staticIndices { differs.append(s.refinement == nil ? "--static-indices" : "dynamic indices") }
        if !inharmonic && (s.followsPitch ?? false) == match.fixedPitch { differs.append(match.fixedPitch ? "a pitch curve" : "--fixed-pitch") }
        if !differs.isEmpty {
            throw CLIError(description: "\(database) was started with other settings (\(differs.joined(separator: ", "))); remove it or use another --out")
        }
    }
}

/// A note's files in the batch's output folder: `<name>.sqlite` (its checkpoint) and the
/// champion's `<name>.champion.json` and `.wav`.
struct BatchFiles {
    let note: BatchNote
    let out: String

    var base: String { (out as NSString).appendingPathComponent(note.name) }
    var database: String { base + ".sqlite" }
    var championPath: String { base + ".champion.json" }
    var folder: String { (base as NSString).deletingLastPathComponent }

    var isDone: Bool { (try? PatchFile.read(path: championPath)) != nil }
    var isStarted: Bool { FileManager.default.fileExists(atPath: database) }
}
