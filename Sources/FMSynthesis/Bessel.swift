/// Bessel functions of the first kind J_n(x) for all integer orders at once.
///
/// Miller's backward recurrence (Abramowitz & Stegun 9.1.27, 9.12):
///   J_{n−1}(x) = (2n/x) J_n(x) − J_{n+1}(x),
/// started at an order M far above x with J_{M+1} = 0, J_M = 1e-30, and normalised by
///   J_0(x) + 2 Σ_{k≥1} J_{2k}(x) = 1   (A&S 9.1.46).
/// The start M = x + 7·x^{1/3} + 20 lies beyond the turning point n ≈ x by seven widths of the
/// Airy transition region (J_n(x) ≈ (2/x)^{1/3} Ai(2^{1/3}(n − x)/x^{1/3})), far enough that every
/// value is accurate to < 1e-14 absolute for 0 ≤ x ≤ 300 (checked against A&S tables in the tests). Negative orders and arguments follow from
/// J_{−n}(x) = (−1)^n J_n(x) and J_n(−x) = (−1)^n J_n(x).
public enum Bessel {
    /// Orders whose |J_n(x)| is below this are dropped: they cannot change a spectrum whose
    /// components are products of two Bessel values ≤ 1 by more than 1e-17.
    public static let negligible = 1e-17

    /// Highest order the recurrence starts from for argument x: an even M ≥ x + 7·x^{1/3} + 20.
    @inline(__always)
    public static func startOrder(_ x: Double) -> Int {
        2 * ((Int(x + 7 * cbrt(x) + 20) + 1) / 2)
    }

    /// Capacity a caller must provide for `sequence(x:into:)`.
    @inline(__always)
    public static func capacity(for x: Double) -> Int { startOrder(abs(x)) + 2 }

    /// Writes J_0(x) … J_M(x) (x ≥ 0) into `out` and returns the number of significant orders
    /// n_s: |J_n(x)| < `negligible` for every n ≥ n_s. `out.count` must be ≥ capacity(for: x).
    @discardableResult
    public static func sequence(x: Double, into out: UnsafeMutableBufferPointer<Double>) -> Int {
        let (m, scale) = unnormalised(x: x, into: out)
        let p = out.baseAddress!
        var i = m - 1
        while i > 0 && abs(p[i] * scale) < negligible { i -= 1 }
        for j in 0..<m { p[j] *= scale }
        return i + 1
    }

    /// The recurrence without its normalisation: writes values v_0 … v_{c−1} with
    /// J_n(x) = scale · v_n and returns (c, scale). For callers that fold the scale into a weight
    /// and need no significance scan (x ≥ 0; `out.count` ≥ capacity(for: x)).
    @inline(__always)
    public static func unnormalised(x: Double, into out: UnsafeMutableBufferPointer<Double>) -> (count: Int, scale: Double) {
        precondition(x >= 0)
        let p = out.baseAddress!
        if x < 1e-10 {
            // J_0 = 1 − x²/4, J_1 = x/2, J_2 = x²/8; higher orders < 1e-31
            p[0] = 1 - 0.25 * x * x
            p[1] = 0.5 * x
            p[2] = 0.125 * x * x
            return (x == 0 ? 1 : 3, 1)
        }
        let m = startOrder(x)
        precondition(out.count >= m + 1, "Bessel buffer too small")
        // From J_{m+1} = 0, J_m = 1e-30 the values grow by at most 1/J_m(x) < 1e265 for
        // x ≥ 1e-10 (J_20(1e-10) ≈ 4e-225), so no rescaling is needed.
        return (m + 1, recurrence(twoOverX: 2 / x, startOrder: m, into: p))
    }

    /// The recurrence for eight arguments at once, one per SIMD lane, from one start order `m`
    /// (even, ≥ startOrder of every lane's x): writes v_n(x_l) to out[n][l], n = 0 … m, and
    /// returns each lane's scale, J_n(x_l) = scale_l · v_n(x_l). A start above a lane's own is
    /// only more accurate; the values still cannot overflow when every x_l ≥ 1e-9 and
    /// m ≤ startOrder(8 · min x_l) (J_20(1e-9) ≈ 4e-205, and more generally the growth from the
    /// start is at most 1/J_m(x_min) < 1e275). A cascade needs J_b(a·I2) for many orders a.
    @inline(__always)
    public static func unnormalised(x: SIMD8<Double>, startOrder m: Int,
                                    into out: UnsafeMutablePointer<SIMD8<Double>>) -> SIMD8<Double> {
        recurrence(twoOverX: 2 / x, startOrder: m, into: out)
    }

    /// Miller's recurrence from J_{m+1} = 0, J_m = 1e-30 (m even) down to J_0, for one argument
    /// or one per lane: writes v_0 … v_m and returns the scale 1 / (v_0 + 2 Σ_{k≥1} v_{2k}).
    @inline(__always)
    static func recurrence<V: RecurrenceValue>(twoOverX: V, startOrder m: Int, into out: UnsafeMutablePointer<V>) -> V {
        var jp1 = V.zero
        var jn = V(1e-30)
        var evenSum = V.zero                   // Σ J_{2k}, k ≥ 1
        out[m] = jn
        var n = m
        while n > 1 {                          // two steps: odd order n−1, then even order n−2
            // one FMA per order on the dependency chain; the factors 2n/x are off it
            let odd = (-jp1).addingProduct(Double(n) * twoOverX, jn)
            let even = (-jn).addingProduct(Double(n - 1) * twoOverX, odd)
            out[n - 1] = odd
            out[n - 2] = even
            jp1 = odd
            jn = even
            n -= 2
            evenSum = evenSum + even
        }
        evenSum = evenSum + (out[m] - out[0])  // the loop added J_0 and missed J_m
        return 1.0 / (out[0] + 2.0 * evenSum)
    }
}

/// What the recurrence computes with: a Double, or eight of them in SIMD lanes.
protocol RecurrenceValue {
    static var zero: Self { get }
    init(_ value: Double)
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static prefix func - (operand: Self) -> Self
    static func * (lhs: Double, rhs: Self) -> Self
    static func / (lhs: Double, rhs: Self) -> Self
    func addingProduct(_ lhs: Self, _ rhs: Self) -> Self
}

extension Double: RecurrenceValue {}

extension SIMD8: RecurrenceValue where Scalar == Double {
    init(_ value: Double) { self.init(repeating: value) }
}

extension Bessel {
    /// J_n(x) for one order (allocates; for tests and tables, not for the hot path).
    public static func j(_ n: Int, _ x: Double) -> Double {
        let ax = abs(x), an = abs(n)
        var buf = [Double](repeating: 0, count: max(capacity(for: ax), an + 1))
        buf.withUnsafeMutableBufferPointer { _ = sequence(x: ax, into: $0) }
        var v = an < buf.count ? buf[an] : 0
        if n < 0 && an % 2 == 1 { v = -v }
        if x < 0 && an % 2 == 1 { v = -v }
        return v
    }
}
