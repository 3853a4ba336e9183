import ArgumentParser
import Refinement

/// The refinement stage's knobs (hidden: for measurements; the defaults are what README reports).
struct RefinementOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Weight of the amplitude smoothness term.", visibility: .hidden))
    var amplitudeSmoothness: Double = RefinementSettings.standard.amplitudeSmoothness

    @Option(help: ArgumentHelp("Weight of the index smoothness term (per rad²).", visibility: .hidden))
    var indexSmoothness: Double = RefinementSettings.standard.indexSmoothness

    @Option(help: ArgumentHelp("Index breakpoints within this many rad of the free curves.", visibility: .hidden))
    var knotTolerance: Double = RefinementSettings.standard.knotTolerance

    @Option(help: ArgumentHelp("Candidate structures the stage screens.", visibility: .hidden))
    var refineCandidates: Int = RefinementStage.Settings.standard.candidates

    @Option(help: ArgumentHelp("Best screened structures refined to the end.", visibility: .hidden))
    var refineFinalists: Int = RefinementStage.Settings.standard.finalists

    @Option(help: ArgumentHelp("Share of --time-limit the stage gets.", visibility: .hidden))
    var refineShare: Double = RefinementStage.Settings.standard.timeShare

    func validate() throws {
        if !(amplitudeSmoothness >= 0 && indexSmoothness >= 0) { throw ValidationError("smoothness weights must be ≥ 0") }
        if !(knotTolerance > 0) { throw ValidationError("--knot-tolerance must be positive") }
        if refineCandidates < 1 { throw ValidationError("--refine-candidates must be at least 1") }
        if refineFinalists < 1 { throw ValidationError("--refine-finalists must be at least 1") }
        if !(refineShare > 0 && refineShare < 1) { throw ValidationError("--refine-share must be between 0 and 1") }
    }

    func settings(maxIndex: Double) -> RefinementStage.Settings {
        var r = RefinementSettings.standard
        r.amplitudeSmoothness = amplitudeSmoothness
        r.indexSmoothness = indexSmoothness
        r.knotTolerance = knotTolerance
        r.maxIndex = maxIndex
        var s = RefinementStage.Settings.standard
        s.refinement = r
        s.candidates = refineCandidates
        s.finalists = refineFinalists
        s.timeShare = refineShare
        return s
    }
}
