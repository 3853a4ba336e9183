import Analysis
import ArgumentParser
import AudioIO
import Checkpoint
import Evolution

/// What a match is: the search, its stop rule, the stages after it. Shared by `evolve` and
/// `batch`, so that a batch's notes are matched exactly as `evolve` matches one.
struct MatchOptions: ParsableArguments {
    @OptionGroup var search: SearchOptions

    @Option(help: "Random seed: the same seed and settings give the same champion, whatever --threads.")
    var seed: UInt64 = 1

    @Option(help: "Stop after this many generations.")
    var generations: Int?

    @Option(help: "Stop after this many seconds of search.")
    var timeLimit: Double?

    @Option(help: "Stop as soon as the champion's error is at most this.")
    var targetError: Double?

    @Option(help: "Longest recording accepted, in seconds.")
    var maxDuration: Double = AudioReader.defaultMaxSeconds

    @Flag(help: "Horner's static FM: fixed modulation indices, no refinement stage after the search.")
    var staticIndices = false

    @Flag(help: "Hold the pitch at f0: no pitch curve (scoop, vibrato, glide) is tracked or played.")
    var fixedPitch = false

    @Flag(help: "Match with non-integer ratios on semitone bands (bells, metal, drums); the default for a recording that is not harmonic enough.")
    var inharmonic = false

    @Flag(help: "Match harmonics with integer ratios even when the recording is not harmonic enough.")
    var harmonic = false

    @Option(help: "Islands: sub-populations of --population / N genomes, each with its own random stream, exchanging their best genomes.")
    var islands: Int = 1

    @Option(help: "Generations between two migrations of the islands.")
    var migrateEvery: Int = 20

    @Option(help: "Genomes each island sends to the next (a ring) at a migration.")
    var migrants: Int = 2

    @OptionGroup var refinement: RefinementOptions

    func validate() throws {
        try search.validate()
        if inharmonic && harmonic { throw ValidationError("give --inharmonic or --harmonic, not both") }
        if islands < 1 { throw ValidationError("--islands must be at least 1") }
        if search.population / islands < 4 {
            throw ValidationError("--population \(search.population) gives islands of fewer than 4 genomes; use fewer --islands or a larger --population")
        }
        if migrateEvery < 1 { throw ValidationError("--migrate-every must be at least 1") }
        if migrants < 0 || migrants >= search.population / islands {
            throw ValidationError("--migrants must be between 0 and an island's population − 1 (\(search.population / islands - 1))")
        }
        if let g = generations, g < 0 { throw ValidationError("--generations must be ≥ 0") }
        if let t = timeLimit, !(t >= 0 && t.isFinite) { throw ValidationError("--time-limit must be a number of seconds ≥ 0") }
        if let e = targetError, !(e >= 0) { throw ValidationError("--target-error must be ≥ 0") }
        try refinement.validate()
    }

    /// Whether the match is inharmonic: asked for, or chosen for a recording that is not harmonic
    /// enough (Harmonicity) unless --harmonic.
    func inharmonicMode(_ h: Harmonicity) -> Bool { inharmonic || (!harmonic && !h.isHarmonicEnough) }

    /// The island model, nil for one population.
    var migration: MigrationPolicy? {
        islands > 1 ? MigrationPolicy(islands: islands, every: migrateEvery, migrants: migrants) : nil
    }

    /// The stop rule: the limits given, or 1000 generations when none is.
    var stop: StopRule {
        StopRule(generations: generations ?? ((timeLimit == nil && targetError == nil) ? 1000 : nil),
                 seconds: timeLimit, error: targetError)
    }
}

extension RunSettings {
    /// "population 200", or "4 islands of 50".
    var populationDescription: String {
        let p = config.population
        return migration.islands > 1 ? "\(migration.islands) islands of \(p)" : "population \(p)"
    }
}
