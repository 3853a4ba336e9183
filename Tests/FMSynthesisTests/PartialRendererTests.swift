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

    /// Moving indices (the test tone: c = 1, m = 1.4, I decaying 5 → 0.5 over 1.5 s, and
    /// a cascade unit whose inner index falls): the render equals sin(cθ + I(t)·sin(…)) sampled
    /// directly to 1e-4 (the amplitudes are interpolated between knots 64 samples apart).
    @Test func movingIndicesEqualTheFormula() {
        let grid = RatioGrid.fine, sr = 44100, f0 = 300.0, count = 66_150, seconds = 1.5
        let decay = IndexDecay(endRatios: [0.1, 0.3], duration: seconds)
        let units = [
            RealRatioUnit(carrier: 1, modulator1: 1.4, modulator2: 1.4, index1: 5, index2: 0, topology: .parallel),
            RealRatioUnit(carrier: 2.5, modulator1: 0.7, modulator2: 1.9, index1: 1.5, index2: 2, topology: .cascade),
        ]
        let genome = units.map(grid.unit)
        let patch = Patch(f0: f0, units: genome, envelopes: [Envelope(times: [0], values: [0.5]), Envelope(times: [0], values: [0.25])],
                          indexEnvelopes: genome.indices.map { decay.envelopes(genome[$0], $0) }, ratioGrid: grid)
        let y = PatchRenderer.render(patch, sampleRate: sr, count: count)
        var worst = 0.0
        for i in stride(from: 0, to: count, by: 7) {
            let t = Double(i) / Double(sr), theta = 2 * Double.pi * f0 * t
            var direct = 0.0
            for (j, (u, a)) in zip(units, [0.5, 0.25]).enumerated() {
                var moving = u
                let e = decay.envelopes(genome[j], j)
                moving.index1 = e.index1.value(at: t); moving.index2 = e.index2.value(at: t)
                direct += a * moving.sample(theta: theta)
            }
            worst = max(worst, abs(y[i] - direct))
        }
        #expect(worst <= 1e-4, "largest difference \(worst)")
    }
}
