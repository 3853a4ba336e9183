import FMSynthesis
import Foundation
import Testing

@Suite struct BesselTests {
    /// Abramowitz & Stegun, Handbook of Mathematical Functions (1964): Table 9.1 (J0, J1, J2 for
    /// x ≤ 17.5, 10 decimals), Table 9.2 (J3…J9) and Table 9.4 (orders to 100 at x = 1, 2, 5, 10,
    /// 50, 100, 10 significant digits).
    static let table: [(n: Int, x: Double, j: Double)] = [
        (0, 1, 0.7651976866), (1, 1, 0.4400505857), (0, 5, -0.1775967713), (1, 5, -0.3275791376),
        (2, 5, 0.0465651163), (0, 10, -0.2459357645), (1, 10, 0.0434727462), (3, 2.5, 0.2166003910),
        (5, 5, 0.2611405461), (7, 8, 0.3205890780), (10, 10, 0.2074861066), (20, 10, 1.151336925e-5),
        (0, 100, 0.01998585030), (50, 100, -0.03869833973), (1, 0.1, 0.04993752604), (2, 0.1, 0.001248958659),
    ]

    @Test func matchesPublishedTables() {
        for (n, x, expected) in Self.table {
            let j = Bessel.j(n, x)
            let tolerance = max(abs(expected) * 1e-9, 6e-11)       // the tables' last digit
            #expect(abs(j - expected) <= tolerance, "J_\(n)(\(x)) = \(j), table \(expected)")
        }
    }

    /// Bessel's integral J_n(x) = (1/2π) ∫₀^{2π} cos(nτ − x sin τ) dτ (A&S 9.1.21) by the
    /// trapezoidal rule on M points — exact up to the aliased terms J_{n±M}(x), which are far below
    /// 1e-17 when M exceeds n + x by some hundreds. nτ is reduced modulo 2π in integers, so the
    /// reference's own rounding stays near 1e-15: an independent computation, not the recurrence.
    static func integral(_ n: Int, _ x: Double, points M: Int = 2048) -> Double {
        var sum = 0.0
        for j in 0..<M {
            let tau = 2 * Double.pi * Double(j) / Double(M)
            let nTau = 2 * Double.pi * Double(((n * j) % M + M) % M) / Double(M)
            sum += cos(nTau - x * sin(tau))
        }
        return sum / Double(M)
    }

    /// README: every value accurate to 1e-14 absolute for 0 ≤ x ≤ 300 — every order the
    /// recurrence returns, against the integral.
    @Test(arguments: [0.05, 0.7, 2.4, 8.0, 19.3, 47.5, 120.0, 299.0])
    func everyOrderWithinOneEMinus14(x: Double) {
        var buf = [Double](repeating: 0, count: Bessel.capacity(for: x))
        let significant = buf.withUnsafeMutableBufferPointer { Bessel.sequence(x: x, into: $0) }
        var worst = 0.0
        for n in 0..<buf.count {
            let reference = Self.integral(n, x)
            worst = max(worst, abs(buf[n] - reference))
            // the orders dropped as negligible (< 1e-17) are zero to the reference's accuracy
            if n >= significant { #expect(abs(reference) < 5e-15, "J_\(n)(\(x)) = \(reference) was dropped") }
        }
        #expect(worst < 1e-14, "x = \(x): worst absolute error \(worst)")
    }

    /// Negative orders and arguments (J_{−n} = (−1)ⁿ J_n, J_n(−x) = (−1)ⁿ J_n(x)): the integral
    /// holds for them as it is, so it checks the sign rules independently.
    @Test func negativeOrdersAndArguments() {
        for x in [-9.1, -3.3, -0.7, 0.7, 3.3, 9.1] {
            for n in -7...7 {
                #expect(abs(Bessel.j(n, x) - Self.integral(n, x)) < 1e-14, "J_\(n)(\(x))")
            }
        }
    }

    /// The eight-lane recurrence a cascade uses for J_b(a·I2), a = 1…8 (one start order for all
    /// lanes, a scale per lane) gives the same J_n as the integral in every lane.
    @Test func eightLanesAtOnce() {
        let x = 3.1 * SIMD8<Double>(1, 2, 3, 4, 5, 6, 7, 8)
        let m = Bessel.startOrder(x.max())
        var v = [SIMD8<Double>](repeating: .zero, count: m + 1)
        let scale = v.withUnsafeMutableBufferPointer { Bessel.unnormalised(x: x, startOrder: m, into: $0.baseAddress!) }
        for lane in 0..<8 {
            for n in 0...m {
                let j = scale[lane] * v[n][lane]
                #expect(abs(j - Self.integral(n, x[lane])) < 1e-14, "lane \(lane), J_\(n)(\(x[lane]))")
            }
        }
    }

    /// J_n'(x) = (J_{n−1}(x) − J_{n+1}(x)) / 2 (A&S 9.1.27) against central differences of
    /// separately computed values (step 1e-4: truncation ~1e-9, rounding ~1e-12).
    @Test func derivativeRecurrence() {
        let h = 1e-4
        for x in [0.4, 1.7, 5.0, 12.5, 33.0] {
            for n in 0...12 {
                let difference = (Bessel.j(n, x + h) - Bessel.j(n, x - h)) / (2 * h)
                let recurrence = (Bessel.j(n - 1, x) - Bessel.j(n + 1, x)) / 2
                #expect(abs(difference - recurrence) < 1e-8, "J_\(n)'(\(x))")
            }
        }
    }

    /// J_0² + 2 Σ J_n² = 1 (A&S 9.1.76) for arguments up to the largest a cascade can reach.
    @Test func sumOfSquaresIsOne() {
        for x in [0.0, 1e-12, 0.01, 1, 8, 40, 120, 250] {
            var buf = [Double](repeating: 0, count: Bessel.capacity(for: x))
            buf.withUnsafeMutableBufferPointer { _ = Bessel.sequence(x: x, into: $0) }
            let s = buf[0] * buf[0] + 2 * buf.dropFirst().reduce(0) { $0 + $1 * $1 }
            #expect(abs(s - 1) < 1e-13, "x = \(x): \(s)")
        }
    }

    @Test func zerosOfJ0() {
        // first zeros of J0 (A&S Table 9.5): 2.4048255577, 5.5200781103, 8.6537279129
        for z in [2.4048255577, 5.5200781103, 8.6537279129] {
            #expect(abs(Bessel.j(0, z)) < 1e-9)
        }
    }
}
