import Analysis
import AudioIO
import Checkpoint
import Evolution
import Export
import FMSynthesis
import Foundation
import PitchFit
import Refinement

/// A run attached to its checkpoint file: the loop that commits every generation, the stop on
/// Ctrl-C, and the champion's files at the end. Shared by `evolve` and `resume`.
struct Session {
    let store: CheckpointStore
    let dbPath: String
    let runID: Int
    let targetPath: String
    let analysis: TargetAnalysis
    /// The recording's band spectrum (the inharmonic mode's target; every run's err_bands).
    let bands: BandSpectrum
    /// The note's pitch curve, along which `analysis` measured its harmonics (nil: fixed pitch).
    let pitch: PitchCurve?
    let settings: RunSettings
    let threads: Int
    let progress: Progress

    var name: String { URL(fileURLWithPath: targetPath).deletingPathExtension().lastPathComponent }

    /// Evolves until `stop`, committing every generation. On Ctrl-C/SIGTERM: prints where the
    /// run stopped and how to resume, and exits with 130/143.
    func run(_ state: inout IslandState, loop: RunLoop, stop: StopRule) throws -> Outcome {
        var previousWrite = 0.0
        Interrupt.shared.beginDeferring()
        let outcome = try loop.evolve(&state, stop: stop, progress: progress) { s, stats, compute in
            previousWrite = try store.commit(run: runID, islands: s, stats: stats, computeSeconds: compute,
                                             previousWrite: previousWrite)
            return previousWrite
        }
        Interrupt.shared.endDeferring()
        if outcome.reason == .interrupted {
            FMEvolve.stderr("checkpointed generation \(state.generation); resume with: fmevolve resume \(dbPath)")
            Foundation.exit(Interrupt.shared.exitStatus)
        }
        return outcome
    }

    /// Writes the champion's patch and render into `outDir`; returns the champion and paths.
    /// `refined`: the refinement stage's structure and envelopes (else the GA's static champion).
    func writeChampion(_ state: EvolutionState, refined: (units: [FMUnit], fit: RefinedFit)?,
                       outDir: String) throws -> (Champion, String, String) {
        try ensureFolder(outDir)
        let (champion, kept) = settings.config.space.ratioGrid.map { grid in
            (Champion(inharmonicGenome: state.champion, bands: bands, analysis: analysis, f0: analysis.f0, grid: grid,
                      maxIndex: settings.config.space.index.upperBound, dynamic: settings.refinement != nil), false)
        } ?? Champion.preferred(staticGenome: state.champion, refined: refined, analysis: analysis,
                                                  maxIndex: settings.config.space.index.upperBound, fit: settings.config.fit,
                                                  pitch: pitch)
        if refined != nil && !kept {
            progress.message("refinement: its render measures above the static champion's; keeping the static patch")
        }
        let summary = try store.summaries().first { $0.run.id == runID }
        let run = PatchFile.Run(seed: settings.seed, generation: state.generation, evaluations: state.evaluations,
                                seconds: summary?.computeSeconds ?? 0, population: settings.config.population,
                                database: dbPath)
        let paths = try champion.write(base: (outDir as NSString).appendingPathComponent(name + ".champion"), name: name,
                                       analysis: analysis, target: targetPath, run: run, version: FMEvolve.version)
        return (champion, paths.json, paths.wav)
    }
}

extension TargetAnalysis {
    /// The analysis a run matches: the recording's, with its harmonics measured along its pitch
    /// curve when `followingPitch` and the pitch moves (PitchFit), and that curve. Either way it
    /// carries the recording's pitch track, which the champion's pitch_err is measured against.
    static func analyse(_ audio: Audio, f0: Double?, followingPitch: Bool) throws -> (TargetAnalysis, PitchCurve?) {
        let fixed = try analyse(audio, f0: f0)
        return followingPitch ? fixed.followingPitch(of: audio.samples) : (fixed.withPitchTrack(of: audio.samples), nil)
    }
}

func ensureFolder(_ dir: String) throws {
    do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
        throw CLIError(description: "cannot create folder \(dir)")
    }
}
