import FMSynthesis
import Testing

/// The spectrum and its index derivatives (SpectrumGradient) against known answers: the value
/// against UnitSpectrum (itself checked against the FFT of a rendered period), the derivatives
/// against central finite differences of UnitSpectrum.
@Suite struct SpectrumGradientTests {
    static let K = 120

    static func gradient(_ u: FMUnit) -> (s: [Double], d1: [Double], d2: [Double]) {
        let ws = GradientWorkspace(maxIndex: 8.5, maxHarmonics: K)
        var s = [Double](repeating: .nan, count: K), d1 = s, d2 = s
        SpectrumGradient.compute(u, harmonics: K, value: &s, dIndex1: &d1, dIndex2: &d2, workspace: ws)
        return (s, d1, d2)
    }

    @Test(arguments: UnitSpectrumTests.units)
    func valueIsTheSpectrum(unit: FMUnit) {
        let (s, _, _) = Self.gradient(unit)
        let reference = UnitSpectrum.spectrum(unit, harmonics: Self.K)
        let worst = zip(s, reference).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-13, "\(unit): max difference \(worst)")
    }

    /// Central differences with h = 1e-4 rad: truncation h²/6·|s'''| ≲ 2e-9, round-off
    /// 1e-16/h = 1e-12; the derivatives must agree to 1e-7 of the largest |∂s_k/∂I| (and 1e-9
    /// absolute, for derivatives that vanish).
    @Test(arguments: UnitSpectrumTests.units)
    func derivativesAreFiniteDifferences(unit: FMUnit) {
        let (_, d1, d2) = Self.gradient(unit)
        let h = 1e-4
        for (which, analytic) in [(1, d1), (2, d2)] {
            func shifted(_ delta: Double) -> [Double] {
                var u = unit
                if which == 1 { u.index1 += delta } else { u.index2 += delta }
                return UnitSpectrum.spectrum(u, harmonics: Self.K)
            }
            // at index 0 a one-sided step would leave the domain: J_n(−x) is defined, so the
            // central difference still holds (the spectrum is analytic in the index)
            let plus = shifted(h), minus = shifted(-h)
            let fd = zip(plus, minus).map { ($0 - $1) / (2 * h) }
            let scale = max(analytic.map(abs).max()!, 1e-2)
            let worst = zip(analytic, fd).map { abs($0 - $1) }.max()!
            #expect(worst < 1e-7 * scale + 1e-9, "\(unit) ∂/∂I\(which): worst \(worst), scale \(scale)")
        }
    }

    /// Hand-solved: y = sin(θ + I sin θ) has s_1 = J_0(I) − J_2(I), so ∂s_1/∂I =
    /// J_0' − J_2' = −J_1 − (J_1 − J_3)/2 (J_0' = −J_1).
    @Test func chowningDerivative() {
        let I = 1.7
        let (_, d1, d2) = Self.gradient(FMUnit(carrier: 1, modulator1: 1, modulator2: 5, index1: I, index2: 0, topology: .parallel))
        let expected = -Bessel.j(1, I) - (Bessel.j(1, I) - Bessel.j(3, I)) / 2
        #expect(abs(d1[0] - expected) < 1e-14)
        // ∂/∂I2 at I2 = 0: only b = ±1 has J_b'(0) ≠ 0 (J_1'(0) = 1/2, J_{−1}'(0) = −1/2). Harmonic 6
        // = line(6) − line(−6), n = 1 + a + 5b: line(6) ← a = 0, b = 1: J_0/2; a = 10, b = −1: −J_10/2;
        // line(−6) ← a = −12, b = 1: J_12/2; a = −2, b = −1: −J_2/2.
        let j = { Bessel.j($0, I) }
        #expect(abs(d2[5] - (j(0) - j(10) - j(12) + j(2)) / 2) < 1e-14)
    }
}
