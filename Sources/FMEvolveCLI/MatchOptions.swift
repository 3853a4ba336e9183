import ArgumentParser
import AudioIO
import Checkpoint

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

    @OptionGroup var refinement: RefinementOptions

    func validate() throws {
        try search.validate()
        if let g = generations, g < 0 { throw ValidationError("--generations must be ≥ 0") }
        if let t = timeLimit, !(t >= 0 && t.isFinite) { throw ValidationError("--time-limit must be a number of seconds ≥ 0") }
        if let e = targetError, !(e >= 0) { throw ValidationError("--target-error must be ≥ 0") }
        try refinement.validate()
    }

    /// The stop rule: the limits given, or 1000 generations when none is.
    var stop: StopRule {
        StopRule(generations: generations ?? ((timeLimit == nil && targetError == nil) ? 1000 : nil),
                 seconds: timeLimit, error: targetError)
    }
}
