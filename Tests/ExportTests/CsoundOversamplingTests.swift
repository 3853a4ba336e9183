import Export
import FMSynthesis
import Testing
import TestSupport

/// CsoundExport.oversampling: the smallest factor (1, 2, 4, 8) that puts every harmonic above
/// −80 dB of the strongest below the render's Nyquist frequency. The highest such harmonic h is
/// found here independently: by hand for a pure carrier (index 0), else from an FFT of one
/// rendered period (TestSupport.periodSpectrum). With h known, f0 just above
/// (Nyquist · factor)/h needs the next factor and f0 just below does not.
@Suite struct CsoundOversamplingTests {
    static let sr = 44100

    static func factor(_ u: FMUnit, f0: Double) -> Int {
        CsoundExport.oversampling(Patch(f0: f0, units: [u], envelopes: [Envelope(times: [0, 1], values: [1, 1])]), sampleRate: sr)
    }

    /// f0 putting harmonic h half a harmonic below (or above) `factor` × Nyquist.
    static func f0(_ h: Int, factor: Int, above: Bool) -> Double {
        Double(sr * factor) / 2 / (Double(h) + (above ? -0.5 : 0.5))
    }

    @Test func aPureCarrierNeedsItsOwnHarmonicBelowNyquist() {
        let u = FMUnit(carrier: 7, modulator1: 1, modulator2: 1, index1: 0, index2: 0, topology: .parallel)   // h = 7
        #expect(Self.factor(u, f0: Self.f0(7, factor: 1, above: false)) == 1)
        #expect(Self.factor(u, f0: Self.f0(7, factor: 1, above: true)) == 2)
        #expect(Self.factor(u, f0: Self.f0(7, factor: 2, above: true)) == 4)
        #expect(Self.factor(u, f0: Self.f0(7, factor: 4, above: true)) == 8)
    }

    @Test(arguments: [
        FMUnit(carrier: 1, modulator1: 1, modulator2: 3, index1: 2.5, index2: 1.2, topology: .parallel),
        FMUnit(carrier: 3, modulator1: 2, modulator2: 5, index1: 1.5, index2: 0.7, topology: .cascade),
    ])
    func aModulatedUnitNeedsItsHighestSignificantSidebandBelowNyquist(unit: FMUnit) throws {
        let s = periodSpectrum(unit, harmonics: 200).map(abs)
        let peak = s.max()!
        let h = try #require(s.lastIndex { $0 > 1e-4 * peak }) + 1
        // the answer is not on the edge of the threshold (the FFT and the Bessel sums agree to 1e-9)
        try #require(s[h - 1] > 1.05e-4 * peak && s[h...].allSatisfy { $0 < 0.95e-4 * peak }, "h = \(h)")
        #expect(h > 8)
        for factor in [1, 2, 4] {
            #expect(Self.factor(unit, f0: Self.f0(h, factor: factor, above: false)) == factor, "h \(h), factor \(factor)")
            #expect(Self.factor(unit, f0: Self.f0(h, factor: factor, above: true)) == 2 * factor, "h \(h), factor \(factor)")
        }
    }

    /// A dynamic unit's sidebands reach furthest at the largest indices its envelopes reach: at an
    /// f0 where those (I1 = 3, I2 = 1.2; h from the FFT) need factor 2 and its fixed indices in the
    /// file (1, 0.4) would not, the factor is 2.
    @Test func aDynamicUnitCountsAtItsLargestIndices() throws {
        let fixed = FMUnit(carrier: 2, modulator1: 3, modulator2: 5, index1: 1, index2: 0.4, topology: .cascade)
        var loudest = fixed
        (loudest.index1, loudest.index2) = (3, 1.2)
        func highest(_ u: FMUnit) throws -> Int {
            let s = periodSpectrum(u, harmonics: 200).map(abs)
            return try #require(s.lastIndex { $0 > 1e-4 * s.max()! }) + 1
        }
        let h = try highest(loudest), f0 = Self.f0(h, factor: 1, above: true)
        try #require(Double(try highest(fixed)) * f0 < Double(Self.sr) / 2, "the fixed indices alone need no oversampling here")
        let moving = IndexEnvelopes(index1: Envelope(times: [0.02, 0.15, 0.9], values: [0.5, 3, 1]),
                                    index2: Envelope(times: [0, 0.7], values: [1.2, 0.2]))
        let envelope = Envelope(times: [0, 1], values: [1, 1])
        let dynamic = Patch(f0: f0, units: [fixed], envelopes: [envelope], indexEnvelopes: [moving])
        #expect(CsoundExport.oversampling(dynamic, sampleRate: Self.sr) == 2, "h \(h) at f0 \(f0)")
        #expect(Self.factor(fixed, f0: f0) == 1)
    }

    /// Sidebands beyond 8 × Nyquist (h · f0 > 4 · 44.1 kHz at f0 = 2500 Hz, the top of the f0
    /// range): the largest factor, 8.
    @Test func beyondEightTimesNyquistTheFactorIs8() throws {
        let u = FMUnit(carrier: 1, modulator1: 10, modulator2: 1, index1: 8, index2: 0, topology: .parallel)
        let s = periodSpectrum(u, harmonics: 400).map(abs)
        let h = try #require(s.lastIndex { $0 > 1e-4 * s.max()! }) + 1
        try #require(Double(h) * 2500 > 4 * Double(Self.sr), "h = \(h)")
        #expect(Self.factor(u, f0: 2500) == 8)
    }
}
