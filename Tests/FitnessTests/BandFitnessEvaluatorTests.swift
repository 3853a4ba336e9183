import Analysis
import Fitness
import FMSynthesis
import Foundation
import Testing

/// BandFitnessEvaluator, the GA's inharmonic fitness, against BandFit (its reference: arrays,
/// PartialSpectrum's partial list, the exact subset NNLS) and against tones of known units.
@Suite struct BandFitnessEvaluatorTests {
    static let sr = 44100, f0 = 300.0

    static func spectrum(_ units: [(RealRatioUnit, (Double) -> Double)], seconds: Double = 1.5) -> BandSpectrum {
        BandSpectrum((0..<Int(seconds * Double(sr))).map { i in
            let t = Double(i) / Double(sr), theta = 2 * Double.pi * f0 * t
            return units.reduce(0) { $0 + $1.1(t) * $1.0.sample(theta: theta) }
        }, sampleRate: sr)
    }

    static let grid = RatioGrid.fine
    static let bell = RealRatioUnit(carrier: 1, modulator1: 1.4, modulator2: 1, index1: 2, index2: 0, topology: .parallel)
    static let metal = RealRatioUnit(carrier: 1.5, modulator1: 2.76, modulator2: 1, index1: 1.2, index2: 0, topology: .parallel)
    static func decay(_ t: Double) -> Double { 0.5 * min(1, t / 0.005) * exp(-t) }
    static func swell(_ t: Double) -> Double { 0.3 * sin(Double.pi * min(t / 1.5, 1)) }

    /// Band powers of single units (both topologies, coincident components, folding below 0 Hz,
    /// components near the bottom band) equal BandFit's to 1e-6 of the unit's largest band power
    /// (the window table's interpolation), and a genome's err equals BandFit's to 1e-5.
    @Test func agreesWithTheReference() {
        let s = Self.spectrum([(Self.bell, Self.decay), (Self.metal, Self.swell)])
        let target = BandFitnessTarget(spectrum: s, f0: Self.f0)
        let evaluator = BandFitnessEvaluator(target: target, carriers: 2, maxIndex: 8)
        let reference = BandFit(target: s, f0: Self.f0)
        let units = [
            Self.bell, Self.metal,
            RealRatioUnit(carrier: 0.5, modulator1: 1.4, modulator2: 0.7, index1: 3, index2: 1.5, topology: .cascade),
            RealRatioUnit(carrier: 2, modulator1: 1, modulator2: 1, index1: 2.5, index2: 1, topology: .parallel),  // m1 = m2
            RealRatioUnit(carrier: 0.3, modulator1: 2.2, modulator2: 0.55, index1: 6, index2: 4, topology: .parallel),
            RealRatioUnit(carrier: 7.25, modulator1: 3.1, modulator2: 0.45, index1: 7.5, index2: 2, topology: .cascade),
        ]
        for u in units {
            let mine = evaluator.bandPowers(Self.grid.unit(u)), theirs = reference.bandPowers(u)
            let scale = theirs.max() ?? 1
            let worst = zip(mine, theirs).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-6 * scale, "\(u): band powers differ by \(worst / scale) of the largest")
        }
        for pair in [[Self.bell, Self.metal], [units[2], units[3]], [units[4], units[5]]] {
            let mine = evaluator.evaluate(pair.map(Self.grid.unit)), theirs = reference.evaluate(pair).err
            #expect(abs(mine - theirs) <= 1e-5, "\(pair): err \(mine) against BandFit's \(theirs)")
        }
    }

    /// The true units of a two-unit tone score what BandFit found for them (< 0.03); a bound
    /// below the err abandons the genome (+∞), one above it does not change it.
    @Test func abandonsOnlyAboveTheBound() {
        let s = Self.spectrum([(Self.bell, Self.decay), (Self.metal, Self.swell)])
        let evaluator = BandFitnessEvaluator(target: BandFitnessTarget(spectrum: s, f0: Self.f0), carriers: 2, maxIndex: 8)
        let genome = [Self.bell, Self.metal].map(Self.grid.unit)
        let err = evaluator.evaluate(genome)
        #expect(err < 0.03, "err \(err)")
        #expect(evaluator.evaluate(genome, bound: err * 1.001) == err)
        #expect(evaluator.evaluate(genome, bound: err * 0.5) == .infinity)
    }

    /// Every frame's amplitudes: the decaying unit's envelope within 5 % where above a tenth of
    /// its peak, as BandFit gives it.
    @Test func givesTheEnvelope() {
        let s = Self.spectrum([(Self.bell, Self.decay)])
        let evaluator = BandFitnessEvaluator(target: BandFitnessTarget(spectrum: s, f0: Self.f0, allFrames: true),
                                             carriers: 1, maxIndex: 8)
        let (_, a) = evaluator.amplitudes([Self.grid.unit(Self.bell)])
        #expect(a.count == s.frameCount)
        for t in 0..<s.frameCount {
            let time = Double(t * s.hop) / Double(Self.sr), e = Self.decay(time)
            if e > 0.05 && time > 0.05 && time < 1.45 {
                #expect(abs(a[t] - e) <= 0.05 * e, "frame \(t) (\(time) s): \(a[t]) against \(e)")
            }
        }
    }
}
