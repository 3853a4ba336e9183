import Analysis
import ArgumentParser
import AudioIO
import Checkpoint
import Evolution
import Export
import Fitness
import FMSynthesis
import Foundation

struct Evolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evolve an FM patch that matches a recorded note, and write the champion.",
        discussion: """
        Stops at --generations, --time-limit or --target-error, whichever comes first \
        (with none of them: 1000 generations). Every generation is checkpointed to --db \
        (default populations/<name>.sqlite); Ctrl-C stops after the generation in flight and \
        'fmevolve resume' continues. Progress goes to stderr; the champion's error and the paths \
        of its patch (JSON) and render (WAV) go to stdout.
        """)

    @Argument(help: "The recording to match (any format libsndfile reads; stereo is mixed to mono).")
    var target: String

    @Option(help: "Fundamental of the recording in Hz (default: estimated).")
    var f0: Double?

    @Option(help: "Checkpoint database (default: populations/<name>.sqlite).")
    var db: String?

    @OptionGroup var match: MatchOptions

    @OptionGroup var output: RunOptions


    func validate() throws {
        try match.validate()
        try output.validate()
        if let f = f0, !(f > 0 && f.isFinite) { throw ValidationError("--f0 must be a positive number of Hz") }
    }

    func run() throws {
        try execute().print(asJSON: output.json)
    }

    /// Analyses the target, evolves, refines and writes the champion; the report of it.
    func execute() throws -> Report {
        Interrupt.shared.install()
        let clock = ContinuousClock()
        let start = clock.now
        let audio = try AudioReader.read(path: target, maxSeconds: match.maxDuration)
        // how harmonic the note is decides the mode (unless --harmonic / --inharmonic)
        let plain = try TargetAnalysis.analyse(audio, f0: f0)
        let bands = BandSpectrum(audio.samples, sampleRate: audio.sampleRate)
        var harmonicity = Harmonicity(bands, f0: plain.f0)
        // a note whose pitch moves is measured along its pitch curve too (a falling drum's
        // harmonics smear at a held f0; a pitch curve plays them)
        let following = !match.fixedPitch || !harmonicity.isHarmonicEnough ? plain.followingPitch(of: audio.samples) : nil
        if !harmonicity.isHarmonicEnough {
            harmonicity = harmonicity.following(following?.pitch.map { c in { c.cents(at: $0) } }, of: audio.samples,
                                                spectrum: bands, f0: plain.f0)
        }
        let inharmonic = match.inharmonicMode(harmonicity)
        let (analysis, pitch) = inharmonic || match.fixedPitch ? (plain.withPitchTrack(of: audio.samples), nil)
            : following ?? plain.followingPitch(of: audio.samples)
        let analysisSeconds = (clock.now - start).seconds
        var config = match.search.config(harmonics: analysis.harmonicCount, islands: match.islands)
        if inharmonic {
            config = match.search.inharmonicConfig(config, topHz: Double(audio.sampleRate) / 2, f0: analysis.f0)
            config.space.indexDecay = !match.staticIndices          // its dynamic FM: decaying indices
        }
        let threadCount = output.threadCount
        let name = URL(fileURLWithPath: target).deletingPathExtension().lastPathComponent
        let dbPath = db ?? "populations/\(name).sqlite"
        // the inharmonic mode has a fixed pitch (a bell has no one pitch to follow), and its
        // dynamic FM is the champion's index decay (no time share of the search's)
        let settings = RunSettings(config: config, seed: match.seed, f0: f0, maxDuration: match.maxDuration, stop: match.stop,
                                   refinement: match.staticIndices ? nil : match.refinement.settings(maxIndex: config.space.index.upperBound),
                                   followsPitch: !match.fixedPitch && !inharmonic, islands: match.migration)

        let communicator = try MPIRun.communicator()
        if let c = communicator, c.rank != 0 {
            // another rank: its islands, rank 0's decisions, nothing written
            let loop = RunLoop(analysis: analysis, bands: bands, config: config, migration: settings.migration, threads: threadCount,
                               communicator: c)
            var islands = try loop.runner.initialState(seed: match.seed)
            _ = try loop.evolve(&islands, stop: settings.searchStop, progress: Progress(quiet: true)) { _, _, _ in 0 }
            MPIRun.leave(c)
        }
        defer { communicator?.finish() }
        // said once, by the process that writes (under mpirun, rank 0)
        if let notice = HarmonicityReport.notice(URL(fileURLWithPath: target).lastPathComponent, harmonicity, f0: analysis.f0,
                                                 inharmonic: inharmonic) {
            FMEvolve.stderr(notice)
        }

        let store = try CheckpointStore(path: dbPath, access: .write, create: true, command: "fmevolve evolve \(target)")
        let runID = try store.beginRun(target: target, samplesFingerprint: Fingerprint.samples(audio.samples, sampleRate: audio.sampleRate),
                                       analysis: analysis, settings: settings, version: FMEvolve.version, pitch: pitch)
        let progress = Progress(quiet: output.quiet)
        progress.message("target \(target): f0 \(fmt(analysis.f0, 2)) Hz, \(analysis.harmonicCount) harmonics, \(analysis.activeFrameCount) active frames; \(config.carriers) carrier\(config.carriers == 1 ? "" : "s"), \(settings.populationDescription), \(threadCount) thread\(threadCount == 1 ? "" : "s")\(communicator.map { " on each of \($0.size) MPI ranks" } ?? ""); checkpoint \(dbPath) (run \(runID))")

        progress.message(inharmonic ? "mode        inharmonic: real ratios of \(fmt(analysis.f0, 2)) Hz, matched on semitone bands (err is err_bands)"
                         : pitch.map { "pitch       follows the note: \(PitchSummary.text($0))" }
                         ?? (match.fixedPitch ? "pitch       held at f0 (--fixed-pitch)" : "pitch       steady: held at f0"))
        let loop = RunLoop(analysis: analysis, bands: bands, config: config, migration: settings.migration, threads: threadCount,
                           communicator: communicator)
        let session = Session(store: store, dbPath: dbPath, runID: runID, targetPath: target, analysis: analysis, bands: bands,
                              pitch: pitch, settings: settings, threads: threadCount, progress: progress)
        let before = clock.now
        var islands = try loop.runner.initialState(seed: match.seed)
        try store.commit(run: runID, islands: islands, stats: nil, computeSeconds: (clock.now - before).seconds, previousWrite: 0)
        let outcome = try session.run(&islands, loop: loop, stop: settings.searchStop)
        let state = islands.merged
        // the stage gets what the time limit leaves after the search (its time share)
        let budget = match.timeLimit.map { max(0, $0 - outcome.seconds) }
        let refined = try session.refine(state, stored: nil, budget: budget)
        let (champion, patch, wav) = try session.writeChampion(state, refined: refined?.0 ?? nil,
                                                               outDir: output.outDir ?? (dbPath as NSString).deletingLastPathComponent.nonEmpty)
        return Report(target: target, analysis: analysis, analysisSeconds: analysisSeconds, state: state, outcome: outcome,
                      stage: refined?.1, champion: champion, errBands: bands.error(of: champion.render), json: patch, wav: wav,
                      database: dbPath)
    }
}

/// Options of the commands that run generations: threads, output folder, verbosity.
struct RunOptions: ParsableArguments {
    @Option(help: "Worker threads (default: every core); the result does not depend on it.")
    var threads: Int?

    @Option(help: "Folder for the champion's files (default: the checkpoint's folder).")
    var outDir: String?

    @Flag(help: "No progress on stderr.")
    var quiet = false

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    func validate() throws {
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
    }

    var threadCount: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }
}

/// Options that shape the search (shared by the commands that start runs).
struct SearchOptions: ParsableArguments {
    @Option(help: "Carrier units per patch (1…8).")
    var carriers: Int = 3

    @Option(help: "Unit topologies: parallel, cascade or any.")
    var topology: TopologyChoice = .any

    @Option(help: "Genomes kept each generation.")
    var population: Int = 200

    @Option(help: ArgumentHelp("Children bred each generation (default: the population).", visibility: .hidden))
    var offspring: Int?

    @Option(help: ArgumentHelp("Tournament size.", visibility: .hidden))
    var tournament: Int = 3

    @Option(help: ArgumentHelp("Crossover probability.", visibility: .hidden))
    var crossoverRate: Double = 0.8

    @Option(help: ArgumentHelp("Largest modulation index (rad).", visibility: .hidden))
    var indexMax: Double = 8

    @Option(help: ArgumentHelp("Largest carrier ratio.", visibility: .hidden))
    var carrierMax: Int = 16

    @Option(help: ArgumentHelp("Largest modulator ratio.", visibility: .hidden))
    var modulatorMax: Int = 16

    @Option(help: ArgumentHelp("Generations without progress before a restart.", visibility: .hidden))
    var stallGenerations: Int = 100

    @Option(help: ArgumentHelp("Genomes kept at a restart.", visibility: .hidden))
    var restartElite: Int = 0

    @Option(help: ArgumentHelp("Local-search evaluations per generation.", visibility: .hidden))
    var localSearch: Int?

    @Option(help: ArgumentHelp("Survivors per ratio/topology niche.", visibility: .hidden))
    var nicheCapacity: Int = 1

    @Option(help: ArgumentHelp("Index mutation step (rad).", visibility: .hidden))
    var indexSigma: Double = 0.5

    @Flag(help: ArgumentHelp("Draw new carriers uniformly instead of from the target's spectrum.", visibility: .hidden))
    var uniformCarriers = false

    @Option(help: ArgumentHelp("Sign-refinement refits of the envelope fit.", visibility: .hidden))
    var signRefits: Int = 3

    @Flag(help: ArgumentHelp("Fit +b only (no −b start).", visibility: .hidden))
    var positiveStartOnly = false

    @Option(help: ArgumentHelp("Cold starts every N frames of a run, warm starts between (0: cold starts only).",
                               visibility: .hidden))
    var coldStartInterval: Int = FitSettings.standard.coldStartInterval

    func validate() throws {
        if !(1...8).contains(carriers) { throw ValidationError("--carriers must be between 1 and 8") }
        if population < 4 { throw ValidationError("--population must be at least 4") }
        if !(indexMax > 0 && indexMax <= 50) { throw ValidationError("--index-max must be in (0, 50] rad") }
        if carrierMax < 1 || modulatorMax < 1 { throw ValidationError("ratio limits must be at least 1") }
        if restartElite < 0 || restartElite >= population { throw ValidationError("--restart-elite must be smaller than the population") }
        if nicheCapacity < 1 { throw ValidationError("--niche-capacity must be at least 1") }
        if signRefits < 0 { throw ValidationError("--sign-refits must be at least 0") }
        if coldStartInterval < 0 { throw ValidationError("--cold-start-interval must be at least 0") }
    }

    /// The inharmonic mode's configuration from the harmonic one: ratios on the fine grid for
    /// partials up to `topHz`, no structure list to screen but the recording's partials, and
    /// restarts after 30 stalled generations (its sweeps are cheap and its traps are sidebands).
    func inharmonicConfig(_ c: EvolutionConfig, topHz: Double, f0: Double) -> EvolutionConfig {
        var c = c
        var space = SearchSpace.inharmonic(topRatio: min(topHz, 20_000) / f0, topology: topology)
        space.index = c.space.index
        c.space = space
        c.stallGenerations = 30
        return c
    }

    /// The GA's configuration; with islands, one island's (population / islands genomes).
    func config(harmonics: Int, islands: Int = 1) -> EvolutionConfig {
        var space = SearchSpace.standard(harmonics: harmonics, topology: topology)
        space.carrier = 1...max(1, min(harmonics, carrierMax))
        space.modulator = 1...modulatorMax
        space.index = 0...indexMax
        return EvolutionConfig(carriers: carriers, population: population / islands, offspring: offspring.map { max(1, $0 / islands) },
                               tournament: tournament,
                               crossoverRate: crossoverRate, indexSigma: indexSigma, localSearchBudget: localSearch,
                               stallGenerations: stallGenerations, restartElite: restartElite, nicheCapacity: nicheCapacity,
                               space: space, fit: FitSettings(signRefits: signRefits, negativeStart: !positiveStartOnly,
                                                                coldStartInterval: coldStartInterval),
                               useCarrierPrior: !uniformCarriers)
    }
}

extension TopologyChoice: ExpressibleByArgument {}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

extension String {
    /// "." for an empty path.
    var nonEmpty: String { isEmpty ? "." : self }
}
