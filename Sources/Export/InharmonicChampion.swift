import Analysis
import Fitness
import FMSynthesis

/// The inharmonic mode's champion (issue 14): a genome of grid-ratio units made playable.
/// Envelopes: every frame's unit amplitudes as the band fit gives them (BandFitnessEvaluator over
/// all frames, silent ones too), at the frames' centres t·hop; the render is PartialRenderer's;
/// `err` is the fit's band error over the active frames, `renderErr` the render's band error
/// measured as fmscore's `err_bands` (BandSpectrum.error). A pitch error is not reported: a bell
/// has no one pitch to follow.
extension Champion {
    public init(inharmonicGenome genome: [FMUnit], bands: BandSpectrum, analysis: TargetAnalysis, f0: Double,
                grid: RatioGrid, maxIndex: Double = 8) {
        let top = max(maxIndex, Self.maxIndex(genome))
        let active = BandFitnessEvaluator(target: BandFitnessTarget(spectrum: bands, f0: f0, grid: grid),
                                          carriers: genome.count, maxIndex: top)
        let all = BandFitnessEvaluator(target: BandFitnessTarget(spectrum: bands, f0: f0, grid: grid, allFrames: true),
                                       carriers: genome.count, maxIndex: top)
        let amplitudes = all.amplitudes(genome).amplitudes
        let n = genome.count, T = bands.frameCount
        let times = (0..<T).map { Double($0 * bands.hop) / Double(bands.sampleRate) }
        let envelopes = (0..<n).map { j in Envelope(times: times, values: (0..<T).map { amplitudes[$0 * n + j] }) }
        let patch = Patch(f0: f0, units: genome, envelopes: envelopes, ratioGrid: grid)
        let render = PatchRenderer.render(patch, sampleRate: bands.sampleRate, count: bands.sampleCount)
        self.init(units: genome, patch: patch, err: active.evaluate(genome), staticErr: nil,
                  renderErr: bands.error(of: render), pitchErr: nil, render: render)
    }
}
