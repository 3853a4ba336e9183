import Analysis
import Fitness
import FMSynthesis
import Foundation
import Refinement
import Testing

/// IndexDecayFit on a tone whose index decays as the test tone does (c = 1, m = 1.4,
/// index 5 → 0.5 over the note): from the unit's ratios with a static index, the fit finds the
/// decay.
@Suite struct IndexDecayFitTests {
    static let sr = 44100, f0 = 300.0, seconds = 1.5

    static func tone() -> BandSpectrum {
        BandSpectrum((0..<Int(seconds * Double(sr))).map { i in
            let t = Double(i) / Double(sr), theta = 2 * Double.pi * f0 * t
            let index = 5 * pow(0.1, t / seconds)
            return 0.5 * min(1, t / 0.005) * exp(-t) * sin(theta + index * sin(1.4 * theta))
        }, sampleRate: sr)
    }

    /// From I = 2 static (band err ≈ 0.5): band err ≤ 0.03, start index 5 ± 0.5 rad, end ratio
    /// 0.1 ± 0.03.
    @Test func findsTheDecay() {
        let s = Self.tone()
        let evaluator = BandFitnessEvaluator(target: BandFitnessTarget(spectrum: s, f0: Self.f0), carriers: 1, maxIndex: 8)
        let start = RatioGrid.fine.unit(RealRatioUnit(carrier: 1, modulator1: 1.4, modulator2: 1.4, index1: 2, index2: 0, topology: .parallel))
        let staticErr = evaluator.evaluate([start])
        let r = IndexDecayFit(evaluator: evaluator, maxIndex: 8).fit([start])
        print("index decay fit: err \(staticErr) static -> \(r.err), I1 \(r.units[0].index1), I2 \(r.units[0].index2), r \(r.decay.endRatios[0]), \(r.evaluations) evaluations")
        #expect(r.err <= 0.03, "err \(r.err)")
        #expect(abs(r.units[0].index1 + r.units[0].index2 - 5) <= 0.5)
        #expect(abs(r.decay.endRatios[0] - 0.1) <= 0.03)
    }
}
