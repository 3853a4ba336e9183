/// Exact non-negative least squares for a few unknowns, in Gram form:
///   minimise f(a) = ½ aᵀG a − rᵀa  subject to a ≥ 0,
/// which is min ‖Sᵀa − b‖² with G = S Sᵀ and r = S b. G is shared by every frame of a genome
/// (method.md), so each frame brings only its r.
///
/// By enumeration of supports: for every non-empty subset P of the unknowns, z_P = G_PP⁻¹ r_P
/// is the minimiser of f on the face a_{∉P} = 0, with f(z) = −½ r_Pᵀ z_P. The NNLS minimiser
/// a* is unique (G positive definite) and equals z for P = its support, where z_P > 0; every
/// other z with z_P > 0 is feasible, so f(z) ≥ f(a*). Hence a* is the feasible z with the
/// largest q = r_Pᵀ z_P, or 0 when no z is feasible (Lawson & Hanson's active-set method reaches
/// the same point by a path; see Solving Least Squares Problems, 1974, ch. 23). Enumeration has
/// no branches, so `laneCount` frames are solved at once; it costs Σ_m C(N,m)(m² + m) FMAs per
/// frame: 36 for 3 unknowns, 112 for 4, 5632 for 8.
enum SupportNNLS {
    /// a ≥ 0 minimising f for each lane. `inverses`: see SubsetInverses; `gram`: G (N×N).
    ///
    /// `hint` is a support tried first: the support of the previous solve's first active lane,
    /// since a frame's refits and the next frames usually share it (70 % of the solves on
    /// random genomes need nothing else). It is taken when, in every
    /// lane of `active`, it satisfies the optimality (KKT) conditions that characterise the
    /// unique minimiser: z_P = G_PP⁻¹ r_P > 0 and w_j = r_j − (G z)_j ≤ 1e-13·max|r| off P.
    /// Only the work depends on the hint, not the result (up to that tolerance). On return,
    /// `hint` holds the support found.
    @inline(__always)
    static func solve<let N: Int>(_ r: InlineArray<N, Lanes>, inverses: UnsafePointer<Double>, gram: UnsafePointer<Double>,
                                  hint: inout Int, active: LaneMask) -> InlineArray<N, Lanes> {
        if hint != 0 {
            var rmax = Lanes.zero
            for j in 0..<N { rmax = maximum(rmax, magnitude(r[j])) }
            let tolerance = 1e-13 * rmax
            var (z, ok) = faceMinimiser(hint, r, inverses)
            for j in 0..<N where hint & (1 << j) == 0 {
                var w = r[j]
                for l in 0..<N where hint & (1 << l) != 0 { w.addProduct(Lanes(repeating: -gram[j &* N &+ l]), z[l]) }
                ok .&= w .<= tolerance
            }
            if allLanes(ok .| .!active) { return z }
        }
        var best = InlineArray<N, Lanes>(repeating: .zero)
        var bestQ = Lanes.zero
        var bestMask = Lanes.zero
        for mask in 1..<(1 << N) {
            let (z, feasible) = faceMinimiser(mask, r, inverses)
            var q = Lanes.zero
            for p in 0..<N where mask & (1 << p) != 0 { q.addProduct(z[p], r[p]) }
            let take = feasible .& (q .> bestQ)
            if anyLane(take) {
                bestQ.replace(with: q, where: take)
                bestMask.replace(with: Lanes(repeating: Double(mask)), where: take)
                for p in 0..<N { best[p] = best[p].replacing(with: z[p], where: take) }
            }
        }
        hint = 0
        for l in 0..<laneCount where active[l] { hint = Int(bestMask[l]); break }
        return best
    }
}

extension SupportNNLS {
    /// z with z_P = G_PP⁻¹ r_P on the support P = `mask` and 0 off it, the minimiser of f on that
    /// face, and the lanes where z_P > 0 (feasible).
    @inline(__always)
    static func faceMinimiser<let N: Int>(_ mask: Int, _ r: InlineArray<N, Lanes>,
                                          _ inverses: UnsafePointer<Double>) -> (InlineArray<N, Lanes>, LaneMask) {
        let inv = inverses + mask &* N &* N
        var z = InlineArray<N, Lanes>(repeating: .zero)
        var feasible = LaneMask(repeating: true)
        var i = 0
        for p in 0..<N where mask & (1 << p) != 0 {
            var l = 0
            for c in 0..<N where mask & (1 << c) != 0 {
                z[p].addProduct(Lanes(repeating: inv[i &* N &+ l]), r[c])
                l &+= 1
            }
            feasible .&= z[p] .> 0
            i &+= 1
        }
        return (z, feasible)
    }
}

/// (G_PP + ρI)⁻¹ for every non-empty subset P of N unknowns, computed once per genome.
/// Slot `mask` (N×N doubles) holds the inverse in subset order (members ascending), row stride N.
/// The ridge ρ = 1e-12 · trace(G)/N keeps G_PP invertible when two units are identical (they
/// then share the fit).
enum SubsetInverses {
    /// Slots needed for n unknowns.
    static func count(_ n: Int) -> Int { (1 << n) * n * n }

    /// `gram`: G (n×n, row-major); `work`: 3·n² scratch doubles.
    static func compute(gram: UnsafePointer<Double>, n: Int, into inverses: UnsafeMutablePointer<Double>,
                        work: UnsafeMutablePointer<Double>) {
        var trace = 0.0
        for j in 0..<n { trace += gram[j * n + j] }
        let ridge = 1e-12 * trace / Double(n)
        let L = work, Li = work + n * n
        let members = UnsafeMutableRawPointer(work + 2 * n * n).bindMemory(to: Int.self, capacity: n)
        for mask in 1..<(1 << n) {
            var m = 0
            for j in 0..<n where mask & (1 << j) != 0 { members[m] = j; m += 1 }
            // G_PP + ρI = L Lᵀ (Cholesky), then (G_PP + ρI)⁻¹ = L⁻ᵀ L⁻¹
            for i in 0..<m {
                for j in 0...i {
                    var s = gram[members[i] * n + members[j]] + (i == j ? ridge : 0)
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
            let slot = inverses + mask * n * n
            for i in 0..<m {
                for j in i..<m {
                    var s = 0.0
                    for k in j..<m { s += Li[k * n + i] * Li[k * n + j] }
                    slot[i * n + j] = s
                    slot[j * n + i] = s
                }
            }
        }
    }
}

/// Non-negative least squares for callers outside the hot path (tools, tests): the kernel's own
/// solver, on one right-hand side.
public enum NNLS {
    /// argmin_{a ≥ 0} ½ aᵀG a − rᵀa for a symmetric positive semi-definite G (n×n, row-major),
    /// n ≤ 8 — i.e. min ‖Sᵀa − b‖² with G = S Sᵀ, r = S b.
    public static func solve(gram: [Double], r: [Double]) -> [Double] {
        let n = r.count
        precondition(gram.count == n * n && n >= 1 && n <= 8)
        var inverses = [Double](repeating: 0, count: SubsetInverses.count(n))
        var work = [Double](repeating: 0, count: 3 * n * n)
        gram.withUnsafeBufferPointer { g in
            inverses.withUnsafeMutableBufferPointer { inv in
                work.withUnsafeMutableBufferPointer { SubsetInverses.compute(gram: g.baseAddress!, n: n, into: inv.baseAddress!, work: $0.baseAddress!) }
            }
        }
        return gram.withUnsafeBufferPointer { g in inverses.withUnsafeBufferPointer { inv in
            switch n {
            case 1: lane0(r, g.baseAddress!, inv.baseAddress!, InlineArray<1, Lanes>.self)
            case 2: lane0(r, g.baseAddress!, inv.baseAddress!, InlineArray<2, Lanes>.self)
            case 3: lane0(r, g.baseAddress!, inv.baseAddress!, InlineArray<3, Lanes>.self)
            case 4: lane0(r, g.baseAddress!, inv.baseAddress!, InlineArray<4, Lanes>.self)
            case 5: lane0(r, g.baseAddress!, inv.baseAddress!, InlineArray<5, Lanes>.self)
            case 6: lane0(r, g.baseAddress!, inv.baseAddress!, InlineArray<6, Lanes>.self)
            case 7: lane0(r, g.baseAddress!, inv.baseAddress!, InlineArray<7, Lanes>.self)
            default: lane0(r, g.baseAddress!, inv.baseAddress!, InlineArray<8, Lanes>.self)
            }
        } }
    }

    private static func lane0<let N: Int>(_ r: [Double], _ gram: UnsafePointer<Double>, _ inverses: UnsafePointer<Double>,
                                          _: InlineArray<N, Lanes>.Type) -> [Double] {
        var rl = InlineArray<N, Lanes>(repeating: .zero)
        for j in 0..<N { rl[j] = Lanes(repeating: r[j]) }
        var hint = 0
        let a = SupportNNLS.solve(rl, inverses: inverses, gram: gram, hint: &hint, active: LaneMask(repeating: true))
        return (0..<N).map { a[$0][0] }
    }
}
