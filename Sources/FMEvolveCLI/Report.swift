import Analysis
import Evolution
import Export
import Foundation

/// The result of a run, printed to stdout.
struct Report {
    var target: String
    var analysis: TargetAnalysis
    var analysisSeconds: Double
    var state: EvolutionState
    var outcome: Outcome
    /// The refinement stage (nil with --static-indices).
    var stage: StageOutcome?
    var champion: Champion
    /// The render's band error against the recording (fmscore's `err_bands`).
    var errBands: Double
    var json: String
    var wav: String
    var database: String

    /// The units with their ratios as multiples of f0 (real numbers in the inharmonic mode).
    var unitDescriptions: [String] {
        champion.units.indices.map { j in
            champion.patch.ratioGrid == nil ? champion.units[j].description : champion.patch.realUnit(j).description
        }
    }

    func print(asJSON: Bool) {
        if asJSON {
            let obj: [String: Any] = [
                "target": target, "f0": analysis.f0, "err": champion.err, "render_err": champion.renderErr, "err_bands": errBands,
                "generations": state.generation, "evaluations": state.evaluations, "seconds": outcome.seconds,
                "evals_per_s": outcome.evaluationsPerSecond, "analysis_s": analysisSeconds,
                "stopped_by": outcome.reason.rawValue, "patch": json, "wav": wav, "database": database,
                "units": unitDescriptions, "mode": champion.patch.ratioGrid == nil ? "harmonic" : "inharmonic",
                "static_err": champion.staticErr ?? champion.err, "dynamic": champion.patch.isDynamic,
                "refinement_steps": stage?.steps ?? 0, "refinement_s": stage?.seconds ?? 0,
                "refinement_finished": stage?.finished ?? false, "refinement_kept_static": stage != nil && !champion.patch.isDynamic,
                "pitch_curve": champion.patch.pitch.map(PitchSummary.json) ?? NSNull(),
                "pitch_err_cents": champion.pitchErr ?? NSNull(),
            ]
            let data = (try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])) ?? Data()
            Swift.print(String(decoding: data, as: UTF8.self))
            return
        }
        if champion.patch.ratioGrid != nil {
            let err = champion.staticErr.map { "\(fmt(champion.err, 5)) with decaying indices (search \(fmt($0, 5)))" } ?? fmt(champion.err, 5)
            Swift.print("err         \(err) on semitone bands, inharmonic mode (render's err_bands \(fmt(errBands, 4)))")
        } else if let s = champion.staticErr {
            Swift.print("err         \(fmt(s, 5)) static -> \(fmt(champion.err, 5)) dynamic (render \(fmt(champion.renderErr, 5)), bands \(fmt(errBands, 4)))")
        } else {
            Swift.print("err         \(fmt(champion.err, 5)) (render \(fmt(champion.renderErr, 5)), bands \(fmt(errBands, 4)))")
        }
        Swift.print("search      \(state.generation) generations, \(state.evaluations) evaluations in \(fmt(outcome.seconds, 1)) s this session (\(Int(outcome.evaluationsPerSecond)) eval/s), stopped by \(outcome.reason.rawValue)")
        if let s = stage {
            let knots = champion.patch.indexEnvelopes.compactMap { $0 }.map { $0.index1.times.count + $0.index2.times.count }.reduce(0, +)
            let what = s.keptStatic || !champion.patch.isDynamic ? "not better than the static fit: static indices kept" : "\(knots) index breakpoints"
            Swift.print("refinement \(s.steps) steps in \(fmt(s.seconds, 1)) s, \(s.finished ? "finished" : "stopped at " + s.phase), \(what)")
        }
        for (i, u) in unitDescriptions.enumerated() {
            Swift.print("unit \(i + 1)      \(u)")
        }
        let pitchErr = champion.pitchErr.map { " (pitch_err \(fmt($0, 2)) cents)" } ?? ""
        Swift.print("pitch       \(champion.patch.pitch.map(PitchSummary.text) ?? "held at f0")\(pitchErr)")
        Swift.print("checkpoint  \(database)")
        Swift.print("patch       \(json)")
        Swift.print("wav         \(wav)")
    }
}
