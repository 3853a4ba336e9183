import Analysis
import ArgumentParser
import AudioIO
import Checkpoint
import Evolution
import Archipelago
import Foundation
import MessagePassing

struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Continue the newest run of a checkpoint where it stopped.",
        discussion: """
        With the same seed and total generations, the result is bit-identical to a run that was \
        never interrupted, whatever --threads either used. Without --generations, --more or \
        --time-limit the run continues to its original limit (the rest of its time limit).
        """)

    @Argument(help: "The checkpoint database (e.g. populations/trumpet-A4.sqlite).")
    var db: String

    @Option(help: "Stop when the run reaches this many generations in total.")
    var generations: Int?

    @Option(help: "Run this many more generations.")
    var more: Int?

    @Option(help: "Stop after this many seconds of search in this session.")
    var timeLimit: Double?

    @Option(help: "The recording, if it moved since the run started (it must have the same samples).")
    var target: String?

    @OptionGroup var output: RunOptions

    func validate() throws {
        if generations != nil && more != nil { throw ValidationError("give --generations or --more, not both") }
        if let g = generations, g < 0 { throw ValidationError("--generations must be ≥ 0") }
        if let m = more, m < 0 { throw ValidationError("--more must be ≥ 0") }
        if let t = timeLimit, !(t >= 0 && t.isFinite) { throw ValidationError("--time-limit must be a number of seconds ≥ 0") }
        try output.validate()
    }

    func run() throws {
        try execute().print(asJSON: output.json)
    }

    /// Continues the checkpoint's newest run and writes its champion; the report of it.
    func execute() throws -> Report {
        Interrupt.shared.install()
        let communicator = try MPIRun.communicator()
        if let c = communicator, c.rank != 0 { try follow(c) }
        defer { communicator?.finish() }
        let store = try CheckpointStore(path: db, access: .write, command: "fmevolve resume \(db)")
        let run = try store.latestRun()
        let targetPath = target ?? run.targetPath
        if target == nil && !FileManager.default.fileExists(atPath: targetPath) {
            throw CheckpointError.targetMissing(recorded: run.targetPath)
        }
        let audio = try AudioReader.read(path: targetPath, maxSeconds: run.settings.maxDuration)
        guard Fingerprint.samples(audio.samples, sampleRate: audio.sampleRate) == run.targetFingerprint else {
            throw CheckpointError.targetChanged(path: targetPath)
        }
        let (analysis, pitch) = try TargetAnalysis.analyse(audio, f0: run.settings.f0,
                                                           followingPitch: run.settings.followsPitch ?? false)
        guard try store.analysisFingerprintMatches(run: run.id, analysis) else {
            throw CheckpointError.analysisChanged(path: targetPath)
        }
        var islands = try store.islands(run: run.id)
        let history = try store.history(run: run.id)
        // the time limit counts a session's wall time from its first generation on, which is its
        // generations' search and checkpoint writes; generation 0 (the initial population) comes
        // before the clock starts
        let spent = history.reduce(0) { $0 + ($1.generation > 0 ? $1.computeSeconds + $1.writeSeconds : 0) }

        // the refinement stage starts once the search is over: a stored stage means the search
        // is done, and it continues unless more generations are asked for
        let stored = try store.refinement(run: run.id)
        let moreSearch = generations.map { $0 > islands.generation } ?? (more.map { $0 > 0 } ?? false)
        var stop = StopRule(error: run.settings.stop.error)
        if let g = generations { stop.generations = g }
        else if let m = more { stop.generations = islands.generation + m }
        if let t = timeLimit { stop.seconds = t * (1 - run.settings.stageTimeShare) }
        if generations == nil && more == nil && timeLimit == nil {
            stop.generations = run.settings.stop.generations
            if let s = run.settings.searchStop.seconds { stop.seconds = max(0, s - spent) }
        }
        let config = run.settings.config
        let threadCount = output.threadCount
        let progress = Progress(quiet: output.quiet)
        let bands = BandSpectrum(audio.samples, sampleRate: audio.sampleRate)
        let loop = RunLoop(analysis: analysis, bands: bands, config: config, migration: run.settings.migration, threads: threadCount,
                           communicator: communicator)
        let session = Session(store: store, dbPath: db, runID: run.id, targetPath: targetPath, analysis: analysis, bands: bands, pitch: pitch,
                              settings: run.settings, threads: threadCount, progress: progress)
        let searchDone = stored != nil && !moreSearch
        if let c = communicator, let islandRunner = loop.runner as? DistributedIslands {
            let header = MPIRun.ResumeHeader(settings: run.settings, target: targetPath, stop: stop, searchDone: searchDone)
            _ = try MPIRun.share(header, over: c)
            if !searchDone { islands = try islandRunner.share(islands) }
        }
        let outcome: Outcome
        if searchDone {
            progress.message("resuming run \(run.id) of \(db) in its refinement stage (\(stored!.state.phaseDescription), step \(stored!.record.step)), \(threadCount) thread\(threadCount == 1 ? "" : "s")")
            outcome = Outcome(reason: .earlierSession, seconds: 0, evaluationsPerSecond: 0)
        } else {
            progress.message("resuming run \(run.id) of \(db) at generation \(islands.generation) (best \(fmt(islands.bestFitness, 5))), \(threadCount) thread\(threadCount == 1 ? "" : "s")")
            if stored != nil { try store.clearRefinement(run: run.id) }
            outcome = try session.run(&islands, loop: loop, stop: stop)
        }
        let state = islands.merged
        // the stage's time: the rest of this session's limit, or of the run's own limit
        var budget: Double?
        if let t = timeLimit { budget = max(0, t - outcome.seconds) }
        else if generations == nil && more == nil, let total = run.settings.stop.seconds {
            budget = max(0, total - spent - outcome.seconds - (searchDone ? stored!.record.computeSeconds : 0))
        }
        let refined = try session.refine(state, stored: searchDone ? stored : nil, budget: budget)
        let (champion, patch, wav) = try session.writeChampion(state, refined: refined?.0 ?? nil,
                                                               outDir: output.outDir ?? (db as NSString).deletingLastPathComponent.nonEmpty)
        return Report(target: targetPath, analysis: analysis, analysisSeconds: 0, state: state, outcome: outcome, stage: refined?.1,
                      champion: champion, errBands: bands.error(of: champion.render),
                      json: patch, wav: wav, database: db)
    }

    /// A rank other than 0 under mpirun: rank 0 reads the checkpoint and sends what this rank
    /// needs; it evolves its islands to rank 0's stop and leaves.
    private func follow(_ c: Communicator) throws -> Never {
        let header = try MPIRun.share(nil, over: c)
        if header.searchDone { MPIRun.leave(c) }
        let audio = try AudioReader.read(path: header.target, maxSeconds: header.settings.maxDuration)
        let (analysis, _) = try TargetAnalysis.analyse(audio, f0: header.settings.f0,
                                                       followingPitch: header.settings.followsPitch ?? false)
        let loop = RunLoop(analysis: analysis, bands: BandSpectrum(audio.samples, sampleRate: audio.sampleRate),
                           config: header.settings.config, migration: header.settings.migration,
                           threads: output.threadCount, communicator: c)
        guard let runner = loop.runner as? DistributedIslands else { MPIRun.leave(c) }
        var islands = try runner.share(nil)
        _ = try loop.evolve(&islands, stop: header.stop, progress: Progress(quiet: true)) { _, _, _ in 0 }
        MPIRun.leave(c)
    }
}
