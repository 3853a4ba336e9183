import FMSynthesis
import Foundation
import Testing

/// PartialRenderer, the inharmonic mode's render, against the FM formula sampled directly.
@Suite struct PartialRendererTests {
    /// A grid patch of a parallel and a cascade unit with non-integer ratios, constant
    /// envelopes, every partial of significance far below Nyquist: the render equals
    /// Σ a_j·sin(c_jθ + …) sampled directly to 1e-9 (the expansion's dropped terms are < 1e-15).
    @Test func equalsTheFormula() {
        let grid = RatioGrid.fine, sr = 44100, f0 = 220.0, count = 20_000
        let units = [
            RealRatioUnit(carrier: 1, modulator1: 1.4, modulator2: 0.37, index1: 2, index2: 0.5, topology: .parallel),
            RealRatioUnit(carrier: 2.76, modulator1: 0.513, modulator2: 1.25, index1: 1.5, index2: 0.8, topology: .cascade),
        ]
        let amplitudes = [0.5, 0.3]
        let patch = Patch(f0: f0, units: units.map(grid.unit),
                          envelopes: amplitudes.map { Envelope(times: [0], values: [$0]) }, ratioGrid: grid)
        let y = PatchRenderer.render(patch, sampleRate: sr, count: count)
        var worst = 0.0
        for i in 0..<count {
            let theta = 2 * Double.pi * f0 * Double(i) / Double(sr)
            let direct = zip(units, amplitudes).reduce(0) { $0 + $1.1 * $1.0.sample(theta: theta) }
            worst = max(worst, abs(y[i] - direct))
        }
        #expect(worst <= 1e-9, "largest difference \(worst)")
    }

    /// Played at another f0 the partials move with it: with a constant envelope, the render at
    /// 2·f0 and 44.1 kHz is sample for sample the render at f0 and 22.05 kHz (the same phases,
    /// the same partials below each Nyquist).
    @Test func transposesWithF0() {
        let grid = RatioGrid.fine
        let patch = Patch(f0: 150, units: [grid.unit(RealRatioUnit(carrier: 1.3, modulator1: 2.1, modulator2: 1, index1: 1, index2: 0, topology: .parallel))],
                          envelopes: [Envelope(times: [0], values: [1])], ratioGrid: grid)
        let up = PatchRenderer.render(patch, sampleRate: 44100, count: 4000, f0: 300)
        let slow = PatchRenderer.render(patch, sampleRate: 22050, count: 4000)
        let worst = (0..<4000).map { abs(up[$0] - slow[$0]) }.max() ?? 0
        #expect(worst <= 1e-9, "largest difference \(worst)")
    }
}
