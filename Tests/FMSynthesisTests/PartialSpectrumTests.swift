import FMSynthesis
import Foundation
import Testing

/// The partials of a unit with real ratios (PartialSpectrum), against the waveform they expand,
/// Parseval, and the harmonic spectrum of the same unit with integer ratios.
@Suite struct PartialSpectrumTests {
    static let units: [RealRatioUnit] = [
        .init(carrier: 1, modulator1: 1.4, modulator2: 2.76, index1: 5, index2: 0.5, topology: .parallel),
        .init(carrier: 1, modulator1: 1.4, modulator2: 2.76, index1: 2.5, index2: 1.2, topology: .cascade),
        .init(carrier: 3.5, modulator1: 0.71, modulator2: 1.3, index1: 0.8, index2: 3.3, topology: .parallel),
        .init(carrier: 2, modulator1: 2.76, modulator2: 2.76, index1: 1.5, index2: 0.9, topology: .cascade),
        .init(carrier: 0.5, modulator1: 1.4, modulator2: 1, index1: 3, index2: 0, topology: .cascade),
    ]

    /// Σ A_i sin(r_i θ) is the unit's waveform at any θ (to 1e-9), for partials up to any height.
    @Test(arguments: units)
    func partialsSumToTheWaveform(unit: RealRatioUnit) {
        let partials = PartialSpectrum.partials(unit, below: .infinity)
        for theta in stride(from: 0.1, to: 60, by: 0.73) {
            let sum = partials.reduce(0) { $0 + $1.amplitude * sin($1.ratio * theta) }
            #expect(abs(sum - unit.sample(theta: theta)) < 1e-9, "θ = \(theta): \(sum) against \(unit.sample(theta: theta))")
        }
        // Parseval: a unit's mean square is ½ (no partial at 0 Hz), so Σ A² = 1
        #expect(abs(partials.reduce(0) { $0 + $1.amplitude * $1.amplitude } - 1) < 1e-9)
        #expect(zip(partials, partials.dropFirst()).allSatisfy { $0.ratio < $1.ratio })
    }

    /// With integer ratios the partials are the harmonic spectrum UnitSpectrum computes.
    @Test func integerRatiosGiveTheHarmonicSpectrum() {
        for (c, m1, m2, i1, i2, topology) in [(1, 1, 3, 2.5, 1.2, Topology.parallel), (3, 1, 4, 1.5, 0.75, .cascade), (2, 5, 1, 4.0, 2.0, .cascade)] {
            let harmonic = UnitSpectrum.spectrum(FMUnit(carrier: c, modulator1: m1, modulator2: m2, index1: i1, index2: i2, topology: topology),
                                                 harmonics: 40)
            let real = RealRatioUnit(carrier: Double(c), modulator1: Double(m1), modulator2: Double(m2), index1: i1, index2: i2, topology: topology)
            var line = [Double](repeating: 0, count: 40)
            for p in PartialSpectrum.partials(real, below: 40.5) {
                let k = Int(p.ratio.rounded())
                #expect(abs(p.ratio - Double(k)) < 1e-9)
                line[k - 1] = p.amplitude
            }
            for k in 0..<40 { #expect(abs(line[k] - harmonic[k]) < 1e-12, "harmonic \(k + 1): \(line[k]) against \(harmonic[k])") }
        }
    }

    /// `below` keeps only the partials under it.
    @Test func partialsStopBelowTheTop() {
        let all = PartialSpectrum.partials(Self.units[0], below: .infinity)
        let low = PartialSpectrum.partials(Self.units[0], below: 10)
        #expect(low == all.filter { $0.ratio < 10 } && !low.isEmpty && low.count < all.count)
    }
}

extension RealRatioUnit: CustomTestStringConvertible {
    public var testDescription: String { "c=\(carrier) m1=\(modulator1) m2=\(modulator2) I1=\(index1) I2=\(index2) \(topology)" }
}
