import Analysis
import ArgumentParser
import AudioIO
import Checkpoint
import Export
import FMSynthesis
import Foundation
import PitchFit
import Refinement

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a champion in the formats synths read: patch JSON, WAV, Csound, SuperCollider, norns, DX7, plots.",
        discussion: """
        SOURCE is a checkpoint (the champion of its newest or any stored generation — after the \
        refinement stage, the refined patch unless --static-indices; the checkpoint holds the \
        target's analysis, so the recording is not needed) or a patch file written by \
        fmevolve. Without --format or --all: the patch JSON and WAV, the files 'evolve' writes. \
        'fmevolve export --list-formats' describes each format.
        """)

    @Argument(help: "A checkpoint database or a patch file (.json).")
    var source: String?

    @Option(name: .customLong("run"), help: "The run of a checkpoint (default: the newest).")
    var runID: Int?

    @Option(help: "The generation of a checkpoint (default: the newest).")
    var generation: Int?

    @Option(name: .customLong("format"), help: "A format to write (repeat for several): \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var formats: [ExportFormat] = []

    @Flag(help: "Write every format.")
    var all = false

    @Flag(help: "From a checkpoint: the search's static champion, not the refinement stage's patch.")
    var staticIndices = false

    @Flag(help: "Describe the formats and exit.")
    var listFormats = false

    @Option(help: "Folder for the files.")
    var out: String = "."

    func validate() throws {
        if listFormats { return }
        if source == nil { throw ValidationError("Missing expected argument '<source>'") }
        if all && !formats.isEmpty { throw ValidationError("give --format or --all, not both") }
        if let g = generation, g < 0 { throw ValidationError("--generation must be ≥ 0") }
    }

    func run() throws {
        if listFormats {
            for f in ExportFormat.allCases { print("\(f.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)) \(f.summary)") }
            return
        }
        let path = source!
        let (exportSource, stem) = try isPatchFile(path) ? loadPatch(path) : loadCheckpoint(path)
        try ensureFolder(out)
        var chosen = all ? ExportFormat.allCases : (formats.isEmpty ? [.json, .wav] : formats)
        if all && exportSource.file.inharmonic == true {
            let left = chosen.filter { !$0.playsRealRatios }
            chosen = chosen.filter(\.playsRealRatios)
            FMEvolve.stderr("note: \(left.map(\.rawValue).joined(separator: ", ")) do not yet play non-integer ratios: this inharmonic patch is exported as \(chosen.map(\.rawValue).joined(separator: ", ")) only")
        }
        let err = exportSource.file.renderErr ?? exportSource.file.err
        if let s = exportSource.file.staticErr {
            print("err         \(fmt(s, 5)) static -> \(fmt(exportSource.file.err, 5)) dynamic (render \(fmt(err, 5)))")
        } else {
            print("err         \(fmt(exportSource.file.err, 5)) (render \(fmt(err, 5)))")
        }
        for format in chosen {
            for written in try Exporter.write(format, exportSource, folder: out, stem: stem) {
                print("\(format.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0))\(written)")
            }
        }
    }

    private func isPatchFile(_ path: String) -> Bool {
        if path.lowercased().hasSuffix(".json") { return true }
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let head = (try? h.read(upToCount: 16)) ?? Data()
        return String(decoding: head, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{")
    }

    /// A patch file; the target is re-analysed when it is where the patch says (for plots).
    private func loadPatch(_ path: String) throws -> (ExportSource, String) {
        let file = try PatchFile.read(path: path)
        var analysis: TargetAnalysis?
        if let target = file.target, FileManager.default.fileExists(atPath: target),
           let audio = try? AudioReader.read(path: target), audio.sampleRate == file.sampleRate {
            analysis = (try? TargetAnalysis.analyse(audio, f0: file.f0))?.following(audio.samples, curve: file.pitch?.curve)
        }
        return (ExportSource(file: file, analysis: analysis, history: nil), file.name)
    }

    /// The champion of a stored generation, with the run's analysis and history.
    private func loadCheckpoint(_ db: String) throws -> (ExportSource, String) {
        let store = try CheckpointStore(path: db, access: .read)
        let runs = try store.runs()
        guard let record = runID.map({ id in runs.first { $0.id == id } }) ?? runs.last else {
            throw runID.map { CLIError(description: "\(db) has no run \($0)") } ?? CheckpointError.noRuns(path: db)
        }
        let analysis = try store.analysis(run: record.id)
        let pitch = try store.pitch(run: record.id)
        let history = try store.history(run: record.id)
        guard let newest = history.last else { throw CheckpointError.emptyRun(path: db, run: record.id) }
        let g = generation ?? newest.generation
        guard let entry = history.first(where: { $0.generation == g }) else {
            throw CheckpointError.noGeneration(path: db, generation: g)
        }
        let name = URL(fileURLWithPath: record.targetPath).deletingPathExtension().lastPathComponent
        let settings = record.settings
        // the refinement stage's patch belongs to the newest generation (the stage follows it)
        var refined: (units: [FMUnit], fit: RefinedFit)?
        if !staticIndices, g == newest.generation, let stageSettings = settings.refinement,
           let stored = try store.refinement(run: record.id),
           let result = RefinementStage(analysis: analysis, settings: stageSettings, fit: settings.config.fit).result(stored.state),
           result.fit.err <= entry.best {
            refined = result
        }
        let champion: Champion
        if let grid = settings.config.space.ratioGrid {
            // the inharmonic mode's envelopes come from the recording's band spectrum, not stored
            guard FileManager.default.fileExists(atPath: record.targetPath),
                  let audio = try? AudioReader.read(path: record.targetPath, maxSeconds: settings.maxDuration) else {
                throw CLIError(description: "\(record.targetPath): not found; an inharmonic run's export reads its recording again")
            }
            guard Fingerprint.samples(audio.samples, sampleRate: audio.sampleRate) == record.targetFingerprint else {
                throw CheckpointError.targetChanged(path: record.targetPath)
            }
            champion = Champion(inharmonicGenome: entry.champion, bands: BandSpectrum(audio.samples, sampleRate: audio.sampleRate),
                                analysis: analysis, f0: analysis.f0, grid: grid, maxIndex: settings.config.space.index.upperBound,
                                dynamic: !staticIndices && g == newest.generation && settings.refinement != nil)
        } else {
            champion = Champion.preferred(staticGenome: entry.champion, refined: refined, analysis: analysis,
                                          maxIndex: settings.config.space.index.upperBound, fit: settings.config.fit,
                                          pitch: pitch).champion
        }
        let seconds = history.prefix { $0.generation <= g }.reduce(0) { $0 + $1.computeSeconds }
        let meta = PatchFile.Run(seed: settings.seed, generation: g, evaluations: entry.evaluations, seconds: seconds,
                                 population: settings.config.population, database: db)
        let file = champion.file(name: name, analysis: analysis, target: record.targetPath, run: meta, version: FMEvolve.version)
        let stem = g == newest.generation ? name : "\(name).gen\(g)"
        return (ExportSource(file: file, analysis: analysis, history: Array(history.prefix { $0.generation <= g }),
                             render: champion.render), stem)
    }
}

extension ExportFormat: ExpressibleByArgument {}
