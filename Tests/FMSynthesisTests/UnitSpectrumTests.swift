import FMSynthesis
import Testing
import TestSupport

@Suite struct UnitSpectrumTests {
    /// A deterministic spread of units over the whole gene space.
    static var units: [FMUnit] {
        var s: UInt64 = 12345
        func next(_ n: Int) -> Int { s = s &* 6364136223846793005 &+ 1442695040888963407; return Int(s >> 33) % n }
        return (0..<40).map { i in
            FMUnit(carrier: 1 + next(16), modulator1: 1 + next(16), modulator2: 1 + next(16),
                   index1: Double(next(8001)) / 1000, index2: Double(next(8001)) / 1000,
                   topology: i % 2 == 0 ? .parallel : .cascade)
        }
    }

    /// The analytic spectrum equals the FFT of one period rendered from the FM equation.
    @Test(arguments: units)
    func equalsFFTOfARenderedPeriod(unit: FMUnit) {
        let K = 152
        let analytic = UnitSpectrum.spectrum(unit, harmonics: K)
        let rendered = periodSpectrum(unit, harmonics: K)
        let worst = zip(analytic, rendered).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-10, "\(unit): max difference \(worst)")
    }

    @Test func unmodulatedCarrierIsOneSine() {
        let s = UnitSpectrum.spectrum(FMUnit(carrier: 4, modulator1: 3, modulator2: 5, index1: 0, index2: 0, topology: .cascade), harmonics: 10)
        #expect(s == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0])
    }

    /// Chowning (1973): sin(cθ + I sin mθ) has sidebands J_n(I) at c + n m. With c = m = 1 the
    /// lower sidebands fold onto positive harmonics with a sign flip: s_1 = J_0(I) − J_2(I), …
    @Test func singleModulatorMatchesChowning() {
        let I = 2.0
        let s = UnitSpectrum.spectrum(FMUnit(carrier: 1, modulator1: 1, modulator2: 7, index1: I, index2: 0, topology: .parallel), harmonics: 4)
        // harmonic h gets J_{h−1}(I) (n = h − 1) and −J_{−h−1}(I) = −(−1)^{h+1} J_{h+1}(I) (n = −h − 1)
        for h in 1...4 {
            let expected = Bessel.j(h - 1, I) - Bessel.j(-h - 1, I)
            #expect(abs(s[h - 1] - expected) < 1e-14)
        }
    }
}
