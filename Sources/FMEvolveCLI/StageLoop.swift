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
    /// The stage's err was above the GA's static champion's: the static champion is kept.
    var keptStatic: Bool
}

extension Session {
    /// Runs the refinement stage after the GA: continues `stored` (the newest checkpointed step)
    /// or starts a new stage from the GA's best distinct structures, committing every step,
    /// until it is done, `budget` seconds of this session have passed, or Ctrl-C. Returns the
    /// refined structure and fit (nil without a stage).
    func refine(_ ga: EvolutionState, stored: (record: RefinementRecord, state: RefinementStageState)?,
                budget: Double?) throws -> ((units: [FMUnit], fit: RefinedFit)?, StageOutcome)? {
        // the inharmonic mode's dynamic FM is its champion's index decay (Champion), not this stage
        guard let settings = settings.refinement, self.settings.config.space.ratioGrid == nil else { return nil }
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
            // out of time: one last step turns what there is into breakpoints (a leg's overrun)
            let late = budget.map { (clock.now - start).seconds >= $0 } ?? false
            let t0 = clock.now
            if late { stage.conclude(&state) } else { stage.step(&state) }
            spent += (clock.now - t0).seconds
            step += 1
            try store.commitRefinement(run: runID, step: step, state: state, computeSeconds: spent)
            if let r = state.refinement {
                progress.message("refine step \(step)  \(state.phaseDescription)  err \(fmt(r.err, 5)) (static \(fmt(ga.bestFitness, 5)))  \(fmt(spent, 1)) s")
            }
        }
        Interrupt.shared.endDeferring()
        if Interrupt.shared.requested {
            FMEvolve.stderr("checkpointed refinement step \(step); resume with: fmevolve resume \(dbPath)")
            Foundation.exit(Interrupt.shared.exitStatus)
        }
        _ = before
        guard let result = stage.result(state) else { return nil }
        // never worse than Horner's static match: the smoothness terms cost some error, and on a
        // note the static fit already matches closely they can cost more than moving indices gain
        let keep = result.fit.err <= ga.bestFitness
        if !keep {
            progress.message("refinement: err \(fmt(result.fit.err, 5)) is above the static champion's \(fmt(ga.bestFitness, 5)); keeping the static patch")
        }
        return (keep ? result : nil, StageOutcome(steps: step, seconds: spent, finished: state.done, phase: state.phaseDescription,
                                                  keptStatic: !keep))
    }
}
