import Analysis
import Fitness
import FMSynthesis
import Foundation
import Testing

/// BandFit, the band error of units with real ratios, on tones of known units and envelopes:
/// the true units fit them closely and give back their envelopes; a wrong ratio does not fit.
@Suite struct BandFitTests {
    static let sr = 44100, f0 = 300.0, seconds = 1.5

    /// Σ_j e_j(t)·u_j(θ) sampled at sr.
    static func tone(_ units: [(RealRatioUnit, (Double) -> Double)]) -> [Double] {
        (0..<Int(seconds * Double(sr))).map { i in
            let t = Double(i) / Double(sr), theta = 2 * Double.pi * f0 * t
            return units.reduce(0) { $0 + $1.1(t) * $1.0.sample(theta: theta) }
        }
    }

    static let bell = RealRatioUnit(carrier: 1, modulator1: 1.4, modulator2: 1, index1: 2, index2: 0, topology: .parallel)
    static let metal = RealRatioUnit(carrier: 1.5, modulator1: 2.76, modulator2: 1, index1: 1.2, index2: 0, topology: .parallel)
    /// A 5 ms attack, then e^(−t/1 s).
    static func decay(_ t: Double) -> Double { 0.5 * min(1, t / 0.005) * exp(-t) }
    /// A swell: up over 0.6 s, then down.
    static func swell(_ t: Double) -> Double { 0.3 * sin(Double.pi * min(t / seconds, 1)) }

    /// One unit: err below 0.02, its envelope back within 5 % wherever it is above a tenth of its
    /// peak (the fitted amplitude is the 93 ms window's RMS of the envelope); with m1 = 1.5
    /// instead of 1.4 the partials land in other bands and err is ten times higher.
    @Test func aKnownUnitFitsAndGivesItsEnvelope() {
        let x = Self.tone([(Self.bell, Self.decay)])
        let fit = BandFit(target: BandSpectrum(x, sampleRate: Self.sr), f0: Self.f0)
        let (err, a) = fit.evaluate([Self.bell])
        #expect(err < 0.02, "err \(err)")
        let s = fit.target
        for t in 0..<s.frameCount where s.active[t] {
            let time = Double(t * s.hop) / Double(Self.sr), e = Self.decay(time)
            if e > 0.05 && time > 0.05 && time < Self.seconds - 0.05 {
                #expect(abs(a[t] - e) <= 0.05 * e, "frame \(t) (\(time) s): \(a[t]) against \(e)")
            }
        }
        var wrong = Self.bell
        wrong.modulator1 = 1.5
        let bad = fit.evaluate([wrong]).err
        print("band fit, one unit: err \(err); m1 1.5: \(bad)")
        #expect(bad > 10 * err, "m1 1.5: err \(bad) against \(err)")
    }

    /// Two units with envelopes of different shapes (one decays, one swells): err below 0.03, and
    /// each envelope back within 10 % where it is above a fifth of its peak.
    @Test func twoUnitsAreTakenApart() {
        let x = Self.tone([(Self.bell, Self.decay), (Self.metal, Self.swell)])
        let fit = BandFit(target: BandSpectrum(x, sampleRate: Self.sr), f0: Self.f0)
        let (err, a) = fit.evaluate([Self.bell, Self.metal])
        print("band fit, two units: err \(err)")
        #expect(err < 0.03, "err \(err)")
        let s = fit.target
        for t in 0..<s.frameCount where s.active[t] {
            let time = Double(t * s.hop) / Double(Self.sr)
            guard time > 0.05 && time < Self.seconds - 0.05 else { continue }
            for (j, e) in [Self.decay(time), Self.swell(time)].enumerated() where e > 0.2 * (j == 0 ? 0.5 : 0.3) {
                #expect(abs(a[t * 2 + j] - e) <= 0.1 * e, "unit \(j + 1), frame \(t) (\(time) s): \(a[t * 2 + j]) against \(e)")
            }
        }
    }
}
