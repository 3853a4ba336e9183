import FMSynthesis
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

    @Test func symmetries() {
        for x in [0.7, 3.3, 9.1] {
            for n in 1...6 {
                let sign: Double = n % 2 == 0 ? 1 : -1
                #expect(abs(Bessel.j(-n, x) - sign * Bessel.j(n, x)) < 1e-15)     // J_{-n} = (-1)^n J_n
                #expect(abs(Bessel.j(n, -x) - sign * Bessel.j(n, x)) < 1e-15)     // J_n(-x) = (-1)^n J_n(x)
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
