import ArgumentParser
import Checkpoint
import Export
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the champion of a checkpoint (patch JSON and WAV render), from any stored generation.",
        discussion: "The checkpoint holds the target's analysis, so the recording itself is not needed.")

    @Argument(help: "The checkpoint database.")
    var db: String

    @Option(name: .customLong("run"), help: "The run (default: the newest).")
    var runID: Int?

    @Option(help: "The generation (default: the newest).")
    var generation: Int?

    @Option(help: "Folder for the files.")
    var out: String = "."

    func validate() throws {
        if let g = generation, g < 0 { throw ValidationError("--generation must be ≥ 0") }
    }

    func run() throws {
        let store = try CheckpointStore(path: db, access: .read)
        let runs = try store.runs()
        guard let record = runID.map({ id in runs.first { $0.id == id } }) ?? runs.last else {
            throw runID.map { CLIError(description: "\(db) has no run \($0)") } ?? CheckpointError.noRuns(path: db)
        }
        let analysis = try store.analysis(run: record.id)
        let history = try store.history(run: record.id)
        guard let newest = history.last else { throw CheckpointError.noRuns(path: db) }
        let g = generation ?? newest.generation
        guard let entry = history.first(where: { $0.generation == g }) else {
            throw CheckpointError.noGeneration(path: db, generation: g)
        }
        let name = URL(fileURLWithPath: record.targetPath).deletingPathExtension().lastPathComponent
        try ensureFolder(out)
        let settings = record.settings
        let champion = Champion(genome: entry.champion, analysis: analysis, maxIndex: settings.config.space.index.upperBound,
                                fit: settings.config.fit)
        let seconds = history.prefix { $0.generation <= g }.reduce(0) { $0 + $1.computeSeconds }
        let meta = PatchFile.Run(seed: settings.seed, generation: g, evaluations: entry.evaluations, seconds: seconds,
                                 population: settings.config.population, database: db)
        let base = (out as NSString).appendingPathComponent(g == newest.generation ? "\(name).champion" : "\(name).gen\(g).champion")
        let paths = try champion.write(base: base, name: name, analysis: analysis, target: record.targetPath, run: meta,
                                       version: FMEvolve.version)
        print("err         \(fmt(champion.err, 5)) (render \(fmt(champion.renderErr, 5))), generation \(g) of run \(record.id)")
        print("patch       \(paths.json)")
        print("wav         \(paths.wav)")
    }
}
