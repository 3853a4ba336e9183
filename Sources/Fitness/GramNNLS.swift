/// Exact non-negative least squares for a few unknowns, in Gram form:
///   minimise ½ aᵀG a − rᵀa  subject to a ≥ 0,
/// which is min ‖Sᵀa − b‖² with G = S Sᵀ and r = S b. G is shared by every frame of a genome
/// (method.md), so each frame only brings its r.
///
/// Lawson & Hanson's active-set method (Solving Least Squares Problems, 1974, ch. 23) in the
/// Gram form of Bro & De Jong (J. Chemometrics 11, 1997): add the variable with the largest
/// gradient w = r − G a to the passive set P, solve the unconstrained problem on P, and step back
/// along the segment to the first variable that would turn negative. The inverse of G restricted
/// to each P is computed once per genome, on first use, by Cholesky factorisation, so a frame's
/// solve is a handful of n×n products. Nothing is allocated after init. n ≤ 8.
struct GramNNLS {
    let n: Int
    /// G + ridge·I, n×n. The ridge, 1e-12 · trace(G)/n, keeps G invertible when two units are
    /// identical (their amplitudes then share the fit).
    let gram: UnsafeMutablePointer<Double>
    /// For each subset mask: the inverse of G restricted to it, in subset order, n×n slots.
    private let inverses: UnsafeMutablePointer<Double>
    /// inverses[mask] is valid when stamp[mask] == epoch[0]. The epoch lives in scratch memory,
    /// not in the owner object, so that no two threads ever write to one cache line.
    private let stamp: UnsafeMutablePointer<UInt32>
    private let epoch: UnsafeMutablePointer<UInt32>
    private let z: UnsafeMutablePointer<Double>
    private let w: UnsafeMutablePointer<Double>
    private let members: UnsafeMutablePointer<Int>
    private let cholesky: UnsafeMutablePointer<Double>
    private let lowerInverse: UnsafeMutablePointer<Double>

    static let maxUnknowns = 8

    init(unknowns n: Int) {
        precondition(n >= 1 && n <= GramNNLS.maxUnknowns)
        self.n = n
        gram = scratch(n * n, 0.0)
        inverses = scratch((1 << n) * n * n, 0.0)
        stamp = scratch(1 << n, UInt32(0))
        epoch = scratch(1, UInt32(0))
        z = scratch(n, 0.0)
        w = scratch(n, 0.0)
        members = scratch(n, 0)
        cholesky = scratch(n * n, 0.0)
        lowerInverse = scratch(n * n, 0.0)
    }

    func deallocate() {
        gram.deallocate(); inverses.deallocate(); stamp.deallocate(); epoch.deallocate()
        z.deallocate(); w.deallocate(); members.deallocate()
        cholesky.deallocate(); lowerInverse.deallocate()
    }

    /// Call after writing a new G into `gram`: adds the ridge and forgets cached inverses.
    func prepare() {
        var trace = 0.0
        for j in 0..<n { trace += gram[j * n + j] }
        let ridge = 1e-12 * trace / Double(n)
        for j in 0..<n { gram[j * n + j] += ridge }
        epoch[0] &+= 1
        if epoch[0] == 0 {                    // wrapped: invalidate every slot explicitly
            for m in 0..<(1 << n) { stamp[m] = UInt32.max }
            epoch[0] = 1
        }
    }

    /// Solves for a (n values) given r (n values); returns the support of a (bit j: a_j > 0).
    ///
    /// `hint` is a support to try first — the previous solve's, since a frame's refits and the
    /// next frame usually share it. It is accepted only when it satisfies the optimality
    /// conditions exactly as the active-set method would end: a_P = G_PP⁻¹ r_P > 0 and
    /// w_j = r_j − (G a)_j ≤ tol outside P. The KKT point is unique for a positive definite G,
    /// so the hint changes the work, not the result.
    @discardableResult
    func solve(_ r: UnsafePointer<Double>, _ a: UnsafeMutablePointer<Double>, hint: UInt32 = 0) -> UInt32 {
        let n = self.n
        var rmax = 0.0
        for j in 0..<n { rmax = max(rmax, abs(r[j])) }
        let tolerance = 1e-13 * rmax
        if hint != 0 && accepts(hint, r, a, tolerance) { return hint }
        for j in 0..<n { a[j] = 0; w[j] = r[j] }
        var passive: UInt32 = 0
        var excluded: UInt32 = 0          // variables that cannot enter (round-off guard)
        var outer = 0
        while outer < 3 * n {
            outer += 1
            var jmax = -1
            var wmax = tolerance
            for j in 0..<n where (passive | excluded) & (1 << j) == 0 && w[j] > wmax {
                wmax = w[j]; jmax = j
            }
            if jmax < 0 { break }
            passive |= 1 << UInt32(jmax)
            var inner = 0
            while inner < 3 * n {
                inner += 1
                solveSubset(passive, r)
                var feasible = true
                for j in 0..<n where passive & (1 << j) != 0 && z[j] <= 0 { feasible = false; break }
                if feasible {
                    for j in 0..<n { a[j] = passive & (1 << j) != 0 ? z[j] : 0 }
                    break
                }
                // step from a towards z until the first passive variable reaches zero
                var alpha = Double.infinity
                var limiting = -1
                for j in 0..<n where passive & (1 << j) != 0 && z[j] <= 0 {
                    let s = a[j] / (a[j] - z[j])
                    if s < alpha { alpha = s; limiting = j }
                }
                for j in 0..<n where passive & (1 << j) != 0 { a[j] += alpha * (z[j] - a[j]) }
                for j in 0..<n where passive & (1 << j) != 0 && (j == limiting || a[j] <= 0) {
                    passive &= ~(1 << UInt32(j)); a[j] = 0
                    if j == jmax { excluded |= 1 << UInt32(j) }
                }
                if passive == 0 { break }
            }
            // gradient of the variables outside P
            for j in 0..<n where passive & (1 << j) == 0 {
                var g = r[j]
                for l in 0..<n where passive & (1 << l) != 0 { g -= gram[j * n + l] * a[l] }
                w[j] = g
            }
        }
        var support: UInt32 = 0
        for j in 0..<n where a[j] > 0 { support |= 1 << UInt32(j) }
        return support
    }

    /// a = the unconstrained solution on `mask` if it is the NNLS solution (see solve).
    @inline(__always)
    private func accepts(_ mask: UInt32, _ r: UnsafePointer<Double>, _ a: UnsafeMutablePointer<Double>,
                                  _ tolerance: Double) -> Bool {
        solveSubset(mask, r)
        for j in 0..<n where mask & (1 << j) != 0 && z[j] <= 0 { return false }
        for j in 0..<n where mask & (1 << j) == 0 {
            var g = r[j]
            for l in 0..<n where mask & (1 << l) != 0 { g -= gram[j * n + l] * z[l] }
            if g > tolerance { return false }
        }
        for j in 0..<n { a[j] = z[j] }
        return true
    }

    /// z_P = (G_PP)⁻¹ r_P, z = 0 outside P.
    @inline(__always)
    private func solveSubset(_ mask: UInt32, _ r: UnsafePointer<Double>) {
        let inv = inverse(mask)
        var m = 0
        for j in 0..<n where mask & (1 << j) != 0 { members[m] = j; m += 1 }
        for j in 0..<n { z[j] = 0 }
        for i in 0..<m {
            var s = 0.0
            for l in 0..<m { s += inv[i * n + l] * r[members[l]] }
            z[members[i]] = s
        }
    }

    /// (G_PP)⁻¹ for the subset `mask`, computed by Cholesky on first use for this genome:
    /// G_PP = L Lᵀ, (G_PP)⁻¹ = L⁻ᵀ L⁻¹.
    private func inverse(_ mask: UInt32) -> UnsafeMutablePointer<Double> {
        let slot = inverses + Int(mask) * n * n
        if stamp[Int(mask)] == epoch[0] { return slot }
        var m = 0
        for j in 0..<n where mask & (1 << j) != 0 { members[m] = j; m += 1 }
        let L = cholesky, Li = lowerInverse
        for i in 0..<m {
            for j in 0...i {
                var s = gram[members[i] * n + members[j]]
                for k in 0..<j { s -= L[i * n + k] * L[j * n + k] }
                L[i * n + j] = i == j ? max(s, 1e-300).squareRoot() : s / L[j * n + j]
            }
        }
        for i in 0..<m {
            Li[i * n + i] = 1 / L[i * n + i]
            for j in 0..<i {
                var s = 0.0
                for k in j..<i { s += L[i * n + k] * Li[k * n + j] }
                Li[i * n + j] = -s * Li[i * n + i]
            }
        }
        for i in 0..<m {
            for j in i..<m {
                var s = 0.0
                for k in j..<m { s += Li[k * n + i] * Li[k * n + j] }
                slot[i * n + j] = s
                slot[j * n + i] = s
            }
        }
        stamp[Int(mask)] = epoch[0]
        return slot
    }
}

/// Non-negative least squares for callers outside the hot path (tools, tests).
public enum NNLS {
    /// argmin_{a ≥ 0} ½ aᵀG a − rᵀa for a symmetric positive semi-definite G (n×n, row-major),
    /// n ≤ 8 — i.e. min ‖Sᵀa − b‖² with G = S Sᵀ, r = S b.
    public static func solve(gram: [Double], r: [Double]) -> [Double] {
        let n = r.count
        precondition(gram.count == n * n)
        let solver = GramNNLS(unknowns: n)
        defer { solver.deallocate() }
        for i in 0..<(n * n) { solver.gram[i] = gram[i] }
        solver.prepare()
        var a = [Double](repeating: 0, count: n)
        r.withUnsafeBufferPointer { rp in a.withUnsafeMutableBufferPointer { _ = solver.solve(rp.baseAddress!, $0.baseAddress!) } }
        return a
    }
}
