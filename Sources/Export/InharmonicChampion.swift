import Analysis
import Fitness
import FMSynthesis
import Refinement

/// The inharmonic mode's champion (issue 14): a genome of grid-ratio units made playable.
/// With `dynamic`, the indices decay through the note when that fits better (IndexDecayFit,
/// from the champion; kept only if its band error is lower, or always when the search's genome
/// already decays: `staticErr` is then the search's err with its coarse decays). Envelopes: every frame's
/// unit amplitudes as the band fit gives them (all frames, silent ones too) at the frames' centres
/// t·hop; the render is PartialRenderer's; `err` is the fit's band error over the active frames
/// (`staticErr` the search's, when the decay is kept), `renderErr` the render's band error
/// measured as fmscore's `err_bands` (BandSpectrum.error). No pitch error: a bell has no one
/// pitch to follow.
extension Champion {
    public init(inharmonicGenome genome: [FMUnit], bands: BandSpectrum, analysis: TargetAnalysis, f0: Double,
                grid: RatioGrid, maxIndex: Double = 8, dynamic: Bool = false) {
        let top = max(maxIndex, Self.maxIndex(genome))
        let active = BandFitnessEvaluator(target: BandFitnessTarget(spectrum: bands, f0: f0, grid: grid),
                                          carriers: genome.count, maxIndex: top)
        let all = BandFitnessEvaluator(target: BandFitnessTarget(spectrum: bands, f0: f0, grid: grid, allFrames: true),
                                       carriers: genome.count, maxIndex: top)
        let staticErr = active.evaluate(genome)
        var units = genome, err = staticErr, decay: IndexDecay?
        // a genome whose units decay (the search's coarse decays) always takes the fitted decay,
        // which starts from them; a static one only when the decay fits better
        let decaying = genome.contains { $0.decay != 0 }
        if dynamic || decaying {
            let fitted = IndexDecayFit(evaluator: active, maxIndex: top).fit(genome)
            if decaying || fitted.err < staticErr { units = fitted.units; err = fitted.err; decay = fitted.decay }
        }
        let amplitudes = decay.map { all.amplitudes(units, decay: $0).amplitudes } ?? all.amplitudes(units).amplitudes
        let n = units.count, T = bands.frameCount
        let times = (0..<T).map { Double($0 * bands.hop) / Double(bands.sampleRate) }
        let envelopes = (0..<n).map { j in Envelope(times: times, values: (0..<T).map { amplitudes[$0 * n + j] }) }
        let patch = Patch(f0: f0, units: units, envelopes: envelopes,
                          indexEnvelopes: decay.map { d in units.indices.map { d.envelopes(units[$0], $0) } }, ratioGrid: grid)
        let render = PatchRenderer.render(patch, sampleRate: bands.sampleRate, count: bands.sampleCount)
        self.init(units: units, patch: patch, err: err, staticErr: decay == nil ? nil : staticErr,
                  renderErr: bands.error(of: render), pitchErr: nil, render: render)
    }
}
