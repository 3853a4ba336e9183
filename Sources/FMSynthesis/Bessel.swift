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
        precondition(x >= 0)
        if x < 1e-10 {
            // J_0 = 1 − x²/4, J_1 = x/2, J_2 = x²/8; higher orders < 1e-31
            out[0] = 1 - 0.25 * x * x
            out[1] = 0.5 * x
            out[2] = 0.125 * x * x
            return x == 0 ? 1 : 3
        }
        let m = startOrder(x)
        precondition(out.count >= m + 1, "Bessel buffer too small")
        let p = out.baseAddress!
        let twoOverX = 2 / x
        // From J_{m+1} = 0, J_m = 1e-30 the values grow by at most 1/J_m(x) < 1e265 for
        // x ≥ 1e-10 (J_20(1e-10) ≈ 4e-225), so no rescaling is needed.
        var jp1 = 0.0
        var jn = 1e-30
        var evenSum = 0.0                      // Σ J_{2k}, k ≥ 1 (m is even)
        p[m] = jn
        var n = m
        while n > 1 {                          // two steps: odd order n−1, then even order n−2
            let odd = Double(n) * twoOverX * jn - jp1
            let even = Double(n - 1) * twoOverX * odd - jn
            p[n - 1] = odd
            p[n - 2] = even
            jp1 = odd
            jn = even
            n -= 2
            evenSum += even
        }
        evenSum += p[m] - p[0]                 // the loop added J_0 and missed J_m
        let scale = 1 / (p[0] + 2 * evenSum)
        var significant = 1
        var i = m
        while i > 0 && abs(p[i] * scale) < negligible { i -= 1 }
        significant = i + 1
        for j in 0...m { p[j] *= scale }
        return significant
    }

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
