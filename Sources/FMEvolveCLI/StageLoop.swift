import Analysis
import Checkpoint
import Evolution
import FMSynthesis
import Foundation
import Refinement

/// How the refinement stage ended in a session.
struct StageOutcome {
    var steps: Int
    /// Stage compute time of the whole run (all sessions) (s).
    var seconds: Double
    var finished: Bool
    var phase: String
}

extension Session {
    /// Runs the refinement stage after the GA: continues `stored` (the newest checkpointed step)
    /// or starts a new stage from the GA's best distinct structures, committing every step,
    /// until it is done, `budget` seconds of this session have passed, or Ctrl-C. Returns the
    /// refined structure and fit (nil without a stage).
    func refine(_ ga: EvolutionState, stored: (record: RefinementRecord, state: RefinementStageState)?,
                budget: Double?) throws -> ((units: [FMUnit], fit: RefinedFit), StageOutcome)? {
        guard let settings = settings.refinement else { return nil }
        let stage = RefinementStage(analysis: analysis, settings: settings, fit: self.settings.config.fit, threads: threads)
        let clock = ContinuousClock()
        let start = clock.now
        var state: RefinementStageState
        var step: Int
        var spent: Double
        if let stored {
            state = stored.state; step = stored.record.step; spent = stored.record.computeSeconds
        } else {
            state = stage.start(candidates: ga.distinctStructures(limit: settings.candidates))
            step = 0; spent = 0
            try store.commitRefinement(run: runID, step: 0, state: state, computeSeconds: 0)
        }
        let before = spent
        if !state.done {
            progress.message("refinement: \(state.candidates.count) candidate structure\(state.candidates.count == 1 ? "" : "s"), \(state.phaseDescription)")
        }
        Interrupt.shared.beginDeferring()
        while !state.done {
            if Interrupt.shared.requested { break }
            if let b = budget, (clock.now - start).seconds >= b { break }
            let t0 = clock.now
            stage.step(&state)
            spent += (clock.now - t0).seconds
            step += 1
            try store.commitRefinement(run: runID, step: step, state: state, computeSeconds: spent)
            if let r = state.refinement {
                progress.message("refine step \(step)  \(state.phaseDescription)  err \(fmt(r.err, 5)) (static \(fmt(r.staticErr, 5)))  \(fmt(spent, 1)) s")
            }
        }
        Interrupt.shared.endDeferring()
        if Interrupt.shared.requested {
            FMEvolve.stderr("checkpointed refinement step \(step); resume with: fmevolve resume \(dbPath)")
            Foundation.exit(Interrupt.shared.exitStatus)
        }
        _ = before
        guard let result = stage.result(state) else { return nil }
        return (result, StageOutcome(steps: step, seconds: spent, finished: state.done, phase: state.phaseDescription))
    }
}
