import Analysis
import AudioIO
import FMSynthesis
import Refinement
import Testing
import TestSupport

/// The refinement objective's analytic gradient against central finite differences
/// (acceptance: 1e-6 relative), for parallel and cascade units over a spread of indices
/// (0–8 rad) and ratios, at points where every amplitude and every per-frame index differs.
@Suite struct ObjectiveGradientTests {
    /// A short analysed tone to fit (its own structure does not matter: the gradient is checked
    /// at arbitrary points).
    static let target: RefinementTarget = {
        let unit = FMUnit(carrier: 1, modulator1: 2, modulator2: 3, index1: 2, index2: 0.7, topology: .parallel)
        let (samples, _) = Tones.patch(f0: 330, units: [unit], peaks: [0.5], sampleRate: 44100, seconds: 0.25,
                                       attack: 0.02, release: 0.05)
        return RefinementTarget(analysis: try! TargetAnalysis.analyse(Audio(samples: samples, sampleRate: 44100), f0: 330))
    }()

    static let cases: [[FMUnit]] = [
        [FMUnit(carrier: 1, modulator1: 1, modulator2: 3, index1: 0.4, index2: 1.2, topology: .parallel),
         FMUnit(carrier: 2, modulator1: 3, modulator2: 1, index1: 2.5, index2: 0.6, topology: .cascade)],
        [FMUnit(carrier: 3, modulator1: 2, modulator2: 5, index1: 5.5, index2: 3.1, topology: .cascade),
         FMUnit(carrier: 1, modulator1: 4, modulator2: 2, index1: 7.6, index2: 0.05, topology: .parallel),
         FMUnit(carrier: 5, modulator1: 1, modulator2: 1, index1: 1.1, index2: 6.8, topology: .cascade)],
    ]

    /// A deterministic point: amplitudes in [0.05, 0.6], per-frame indices spread ±1.5 rad
    /// around each unit's index, inside [0.05, 7.95] (the central differences stay in the
    /// domain I ≥ 0).
    static func point(_ units: [FMUnit], frames F: Int) -> [Double] {
        var s: UInt64 = 99
        func next() -> Double { s = s &* 6364136223846793005 &+ 1442695040888963407; return Double(s >> 11) * 0x1.0p-53 }
        var x = (0..<(units.count * F)).map { _ in 0.05 + 0.55 * next() }
        for u in units {
            for base in [u.index1, u.index2] { x += (0..<F).map { _ in min(7.95, max(0.05, base + 3 * (next() - 0.5))) } }
        }
        return x
    }

    /// Every term at once: the error on windowed amplitudes (breakpoints seen through the analysis
    /// window, with fixed breakpoints outside the span) or on frame amplitudes (runs stored before
    /// it), both smoothness terms and the jump hinge, active on many pairs at this point (the
    /// amplitudes' and indices' random steps exceed θ = 0.2 of their peaks).
    @Test(arguments: [(0, true), (1, true), (0, false), (1, false)])
    func gradientIsFiniteDifferences(_ which: Int, windowed: Bool) {
        let units = Self.cases[which], t = Self.target, F = t.frames
        let settings = RefinementSettings(amplitudeSmoothness: 0.7, indexSmoothness: 0.2, jumpLimit: 0.2, jumpWeight: 30,
                                          windowedAmplitudes: windowed)
        let offsets = (0..<(units.count * F)).map { 0.01 * Double($0 % 7) }
        let f = RefinementObjective(target: t, units: units, knots: .everyFrame(units: units.count, frames: F),
                                    settings: settings, threads: 2, offsets: offsets)
        var x = Self.point(units, frames: F)
        f.anchorPeaks(x)
        #expect(f.jumpPairs(x) >= 10, "the hinge is active on \(f.jumpPairs(x)) pairs")
        var g = [Double](repeating: 0, count: f.dimension), scratch = g
        _ = f.evaluate(x, &g)
        let h = 1e-4
        var worst = 0.0, checked = 0, kinks = 0, worstAt = ""
        // every amplitude and index variable of a few frames spread over the note
        for t in stride(from: 0, to: F, by: max(F / 6, 1)) {
            for c in 0..<(3 * units.count) {
                let i = c * F + t
                let keep = x[i]
                x[i] = keep + h; let up = f.evaluate(x, &scratch), upPairs = f.jumpPairs(x)
                x[i] = keep - h; let down = f.evaluate(x, &scratch), downPairs = f.jumpPairs(x)
                x[i] = keep
                // the hinge's second derivative jumps at θ: a difference across it is not exact
                if upPairs != downPairs { kinks += 1; continue }
                let fd = (up - down) / (2 * h)
                let relative = abs(g[i] - fd) / max(abs(g[i]), abs(fd), 1e-300)
                if relative > worst { worstAt = "x[\(i)] (curve \(c), frame \(t)): analytic \(g[i]), differences \(fd)" }
                worst = max(worst, relative)
                checked += 1
            }
        }
        #expect(checked >= 30 && kinks <= 2, "\(checked) variables checked, \(kinks) across a kink")
        #expect(worst < 1e-6, "worst relative difference \(worst) over \(checked) variables, at \(worstAt)")
    }
}
