#if canImport(Glibc)
import Glibc
#endif

/// Linear least squares by the normal equations and a Cholesky factorisation: minimises
/// ‖A x − y‖² + λ‖x‖² (λ = `ridge`·mean diagonal of AᵀA, so that a basis function no frame
/// reaches — a breakpoint in a gap — gets 0 rather than a singular system). The systems here are
/// small (≤ 100 unknowns, a few hundred frames), well conditioned (hat functions), so the normal
/// equations lose nothing that matters.
struct LeastSquares {
    private(set) var gram: [Double]
    private(set) var rhs: [Double]
    let unknowns: Int

    init(unknowns: Int) {
        self.unknowns = unknowns
        gram = [Double](repeating: 0, count: unknowns * unknowns)
        rhs = [Double](repeating: 0, count: unknowns)
    }

    /// Adds one equation Σ_j row[j] x_j ≈ y, given as its nonzero entries.
    mutating func add(_ row: [(column: Int, value: Double)], _ y: Double) {
        for a in row {
            rhs[a.column] += a.value * y
            for b in row { gram[a.column * unknowns + b.column] += a.value * b.value }
        }
    }

    /// The solution, or nil when the system is empty or not positive definite.
    func solve(ridge: Double = 1e-9) -> [Double]? {
        let n = unknowns
        guard n > 0 else { return [] }
        var g = gram
        let meanDiagonal = (0..<n).reduce(0) { $0 + g[$1 * n + $1] } / Double(n)
        guard meanDiagonal > 0 else { return nil }
        for i in 0..<n { g[i * n + i] += ridge * meanDiagonal }
        // Cholesky: g = L Lᵀ, L stored in the lower triangle
        for j in 0..<n {
            var d = g[j * n + j]
            for k in 0..<j { d -= g[j * n + k] * g[j * n + k] }
            guard d > 0 else { return nil }
            let l = d.squareRoot()
            g[j * n + j] = l
            for i in (j + 1)..<n {
                var s = g[i * n + j]
                for k in 0..<j { s -= g[i * n + k] * g[j * n + k] }
                g[i * n + j] = s / l
            }
        }
        var x = rhs
        for i in 0..<n {                       // L z = rhs
            for k in 0..<i { x[i] -= g[i * n + k] * x[k] }
            x[i] /= g[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {   // Lᵀ x = z
            for k in (i + 1)..<n { x[i] -= g[k * n + i] * x[k] }
            x[i] /= g[i * n + i]
        }
        return x
    }
}

/// Hat functions on ascending knots: the weights of the two knots around t (linear
/// interpolation, held outside), as (knot, weight) pairs.
func hats(_ knots: [Double], at t: Double) -> [(Int, Double)] {
    guard let last = knots.indices.last else { return [] }
    if t <= knots[0] { return [(0, 1)] }
    if t >= knots[last] { return [(last, 1)] }
    var lo = 0, hi = last
    while hi - lo > 1 {
        let mid = (lo + hi) / 2
        if knots[mid] <= t { lo = mid } else { hi = mid }
    }
    let w = (t - knots[lo]) / (knots[hi] - knots[lo])
    return [(lo, 1 - w), (hi, w)]
}
