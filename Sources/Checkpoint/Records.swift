import Analysis
import Evolution
import FMSynthesis
import Foundation
import Refinement

/// When a run stops (stored with the run, so that `resume` can finish the same job).
public struct StopRule: Codable, Equatable, Sendable {
    public var generations: Int?
    public var seconds: Double?
    public var error: Double?
    public init(generations: Int? = nil, seconds: Double? = nil, error: Double? = nil) {
        self.generations = generations; self.seconds = seconds; self.error = error
    }
}

/// What a run was started with.
public struct RunSettings: Codable, Equatable, Sendable {
    public var config: EvolutionConfig
    public var seed: UInt64
    /// --f0, when given.
    public var f0: Double?
    public var maxDuration: Double
    public var stop: StopRule
    /// The refinement stage after the GA (dynamic FM); nil: Horner's static indices
    /// (`--static-indices`, and every run stored before the stage existed).
    public var refinement: RefinementStage.Settings?
    /// Whether the run follows the note's pitch (a pitch curve; the harmonics measured along it);
    /// nil or false: a fixed pitch (`--fixed-pitch`, and every run stored before pitch curves).
    public var followsPitch: Bool?
    /// The island model (`--islands`; `config.population` is then each island's); nil: one
    /// population (every run stored before islands).
    public var islands: MigrationPolicy?

    public init(config: EvolutionConfig, seed: UInt64, f0: Double?, maxDuration: Double, stop: StopRule,
                refinement: RefinementStage.Settings? = nil, followsPitch: Bool = false, islands: MigrationPolicy? = nil) {
        self.config = config; self.seed = seed; self.f0 = f0; self.maxDuration = maxDuration; self.stop = stop
        self.refinement = refinement
        self.followsPitch = followsPitch
        self.islands = islands
    }

    /// The migration policy the run uses (one island when none is stored).
    public var migration: MigrationPolicy { islands ?? MigrationPolicy(islands: 1) }

    /// The GA's part of the stop rule: with a refinement stage, the GA gets (1 − timeShare) of
    /// the time limit.
    public var searchStop: StopRule {
        var s = stop
        if let seconds = s.seconds { s.seconds = seconds * (1 - stageTimeShare) }
        return s
    }

    /// The share of a time limit the refinement stage takes: none without it, and none in the
    /// inharmonic mode, whose index decay is fitted in seconds once the search stops.
    public var stageTimeShare: Double {
        guard let r = refinement, config.space.ratioGrid == nil else { return 0 }
        return r.timeShare
    }
}

/// One run in a checkpoint file.
public struct RunRecord: Sendable {
    public var id: Int
    public var targetPath: String
    public var targetFingerprint: String
    public var analysisFingerprint: String
    public var settings: RunSettings
    public var version: String
    public var created: String
    public var updated: String
}

/// One stored generation.
public struct GenerationRecord: Sendable, Equatable {
    public var generation: Int
    public var best: Double
    public var mean: Double
    /// Evaluations so far.
    public var evaluations: Int
    public var abandoned: Int
    public var restarts: Int
    /// Wall time of the generation's search (s).
    public var computeSeconds: Double
    /// Wall time of writing this generation's checkpoint (s); recorded with the next generation,
    /// so the newest generation's is not known yet (0).
    public var writeSeconds: Double
    public var champion: [FMUnit]
}

/// A run and its progress, for `fmevolve runs`.
public struct RunSummary: Sendable {
    public var run: RunRecord
    public var generations: Int
    public var best: Double
    public var evaluations: Int
    public var computeSeconds: Double
    public var writeSeconds: Double
    /// Share of the generations' wall time spent writing checkpoints.
    public var writeShare: Double { writeSeconds / max(computeSeconds + writeSeconds, 1e-12) }
}

/// UTC time as ISO 8601, e.g. 2026-11-25T03:44:04Z.
func timestamp() -> String {
    var t = time(nil)
    var parts = tm()
    gmtime_r(&t, &parts)
    func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
}
