/// A unit's signed harmonic spectrum and its exact derivatives with respect to both indices:
/// s_k, ∂s_k/∂I1, ∂s_k/∂I2 for k = 1…K — what the refinement stage (dynamic FM) needs.
///
/// The spectrum is the Jacobi–Anger double sum of UnitSpectrum (method.md, "A unit's spectrum
/// without rendering"), summed on the signed line n = c + a·m1 + b·m2 and folded s_k = line(k) −
/// line(−k):
///   parallel  s ← Σ_{a,b} J_a(I1) J_b(I2)
///   cascade   s ← Σ_{a,b} J_a(I1) J_b(a·I2)
/// Differentiating term by term with J_n'(x) = (J_{n−1}(x) − J_{n+1}(x)) / 2 (A&S 9.1.27, valid
/// for every integer order and real argument):
///   parallel  ∂/∂I1 ← Σ J_a'(I1) J_b(I2),      ∂/∂I2 ← Σ J_a(I1) J_b'(I2)
///   cascade   ∂/∂I1 ← Σ J_a'(I1) J_b(a·I2),    ∂/∂I2 ← Σ J_a(I1) · a · J_b'(a·I2)
/// Negative orders and arguments by J_{−n}(x) = (−1)^n J_n(x) = J_n(−x). The sums are truncated
/// where Miller's recurrence starts (every dropped order is below 1e-14, Bessel), one order
/// beyond for the derivatives. Scalar code written for clarity: the refinement calls it once per
/// unit and frame, not per genome of a population.
public enum SpectrumGradient {
    /// Writes s, ∂s/∂I1 and ∂s/∂I2 (K values each) for `unit`.
    public static func compute(_ unit: FMUnit, harmonics K: Int, value: UnsafeMutablePointer<Double>,
                               dIndex1: UnsafeMutablePointer<Double>, dIndex2: UnsafeMutablePointer<Double>,
                               workspace ws: GradientWorkspace) {
        precondition(K <= ws.maxHarmonics, "more harmonics than the workspace holds")
        let c = Int(unit.carrier), m1 = Int(unit.modulator1), m2 = Int(unit.modulator2)
        let line = ws.line.baseAddress! + K, d1 = ws.line1.baseAddress! + K, d2 = ws.line2.baseAddress! + K
        for n in -K...K { line[n] = 0; d1[n] = 0; d2[n] = 0 }
        let outer = ws.table(unit.index1, into: ws.outer)
        let na = outer.count
        switch unit.topology {
        case .parallel:
            let inner = ws.table(unit.index2, into: ws.inner)
            for a in -na...na {
                let ja = outer.j(a), dja = outer.derivative(a)
                if ja == 0 && dja == 0 { continue }
                for b in range(base: c + a * m1, m2: m2, reach: inner.count, K: K) {
                    let n = c + a * m1 + b * m2
                    let jb = inner.j(b)
                    line[n] += ja * jb
                    d1[n] += dja * jb
                    d2[n] += ja * inner.derivative(b)
                }
            }
        case .cascade:
            for a in -na...na {
                let ja = outer.j(a), dja = outer.derivative(a)
                if ja == 0 && dja == 0 { continue }
                // J_b(a·I2) = J_b(|a|·I2) for a ≥ 0, (−1)^b J_b(|a|·I2) for a < 0
                let inner = ws.table(Double(abs(a)) * unit.index2, into: ws.inner, negativeArgument: a < 0)
                let da = Double(a)
                for b in range(base: c + a * m1, m2: m2, reach: inner.count, K: K) {
                    let n = c + a * m1 + b * m2
                    let jb = inner.j(b)
                    line[n] += ja * jb
                    d1[n] += dja * jb
                    d2[n] += ja * da * inner.derivative(b)
                }
            }
        }
        for k in 1...max(K, 1) where k <= K {
            value[k - 1] = line[k] - line[-k]
            dIndex1[k - 1] = d1[k] - d1[-k]
            dIndex2[k - 1] = d2[k] - d2[-k]
        }
    }

    /// The orders b with |b| ≤ reach whose line position base + b·m2 lies in −K … K.
    @inline(__always)
    static func range(base: Int, m2: Int, reach: Int, K: Int) -> Range<Int> {
        let lo = max(ceilDiv(-K - base, m2), -reach), hi = min(floorDiv(K - base, m2), reach)
        return lo <= hi ? lo..<(hi + 1) : lo..<lo
    }
}

/// J_n(x) of one argument for every signed order, from a table of J_0 … J_{count−1}(|x|)
/// (zero beyond: those orders are below 1e-17).
struct BesselTable {
    let values: UnsafeMutablePointer<Double>
    let count: Int
    /// x < 0: J_n(x) = (−1)^n J_n(|x|).
    let negativeArgument: Bool

    /// J_n(x), n of either sign.
    @inline(__always)
    func j(_ n: Int) -> Double {
        let m = n < 0 ? -n : n
        if m >= count { return 0 }
        let v = values[m]
        return m & 1 == 1 && (n < 0) != negativeArgument ? -v : v
    }

    /// J_n'(x) = (J_{n−1}(x) − J_{n+1}(x)) / 2.
    @inline(__always)
    func derivative(_ n: Int) -> Double { 0.5 * (j(n - 1) - j(n + 1)) }
}

/// Scratch space for SpectrumGradient: Bessel tables and three signed lines. One per thread.
public final class GradientWorkspace: @unchecked Sendable {
    public let maxIndex: Double
    public let maxHarmonics: Int
    let outer: UnsafeMutableBufferPointer<Double>
    let inner: UnsafeMutableBufferPointer<Double>
    let line: UnsafeMutableBufferPointer<Double>
    let line1: UnsafeMutableBufferPointer<Double>
    let line2: UnsafeMutableBufferPointer<Double>

    /// `maxIndex`: the largest index (rad) either modulator may have; `maxHarmonics`: the largest K.
    public init(maxIndex: Double, maxHarmonics: Int) {
        self.maxIndex = maxIndex
        self.maxHarmonics = maxHarmonics
        let orders = Bessel.capacity(for: maxIndex)
        outer = .allocate(capacity: orders)
        // a cascade's inner argument is |a|·I2 with |a| < orders
        inner = .allocate(capacity: Bessel.capacity(for: Double(orders) * maxIndex))
        line = .allocate(capacity: 2 * maxHarmonics + 1)
        line1 = .allocate(capacity: 2 * maxHarmonics + 1)
        line2 = .allocate(capacity: 2 * maxHarmonics + 1)
    }

    deinit { for b in [outer, inner, line, line1, line2] { b.deallocate() } }

    /// J_n(±x) for x ≥ 0 into `buffer`, trimmed where the values fall below Bessel.negligible.
    @inline(__always)
    func table(_ x: Double, into buffer: UnsafeMutableBufferPointer<Double>, negativeArgument: Bool = false) -> BesselTable {
        precondition(x <= maxIndex * Double(outer.count), "index beyond the workspace's range")
        let (m, scale) = Bessel.unnormalised(x: x, into: buffer)
        let p = buffer.baseAddress!
        var count = m
        for i in 0..<m { p[i] *= scale }
        while count > 1 && abs(p[count - 1]) < Bessel.negligible { count -= 1 }
        return BesselTable(values: p, count: count, negativeArgument: negativeArgument)
    }
}
