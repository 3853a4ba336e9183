/// Non-negative least squares in Gram form by Lawson & Hanson's active-set method (Solving Least
/// Squares Problems, 1974, ch. 23), for a Gram matrix that changes from call to call (the band
/// fit weights every frame differently, so SupportNNLS's inverses, computed once per genome, do
/// not apply):
///   x = argmin_{x ≥ 0} ½ xᵀG x − rᵀx,   G symmetric positive semi-definite, n ≤ 8.
/// Each round moves the variable with the largest gradient r − Gx > `tolerance` into the passive
/// set P and solves G_PP z = r_P; while some z_j ≤ 0 it steps from x towards z as far as x stays
/// ≥ 0 and drops the variables that reach 0. A passive variable whose pivot is below 1e-12 of its
/// diagonal (a unit whose band powers are a combination of the others') is dropped, so a
/// singular G gives one of its minimisers. Allocation-free: the caller owns the scratch.
public struct ActiveSetNNLS {
    public let n: Int
    /// Scratch: n·n + 2n doubles, n indices and n flags.
    private let matrix: UnsafeMutablePointer<Double>
    private let z: UnsafeMutablePointer<Double>
    private let rhs: UnsafeMutablePointer<Double>
    private let order: UnsafeMutablePointer<Int>
    private let passive: UnsafeMutablePointer<Bool>

    public init(n: Int) {
        precondition(n >= 1 && n <= 8)
        self.n = n
        matrix = .allocate(capacity: n * n)
        z = .allocate(capacity: n)
        rhs = .allocate(capacity: n)
        order = .allocate(capacity: n)
        passive = .allocate(capacity: n)
    }

    /// Frees the scratch (the struct is owned by one evaluator).
    public func deallocate() {
        matrix.deallocate(); z.deallocate(); rhs.deallocate(); order.deallocate(); passive.deallocate()
    }

    /// Solves into x (n values); G row-major n×n, r n values.
    public func solve(gram G: UnsafePointer<Double>, r: UnsafePointer<Double>, into x: UnsafeMutablePointer<Double>) {
        var scale = 0.0
        for j in 0..<n { x[j] = 0; passive[j] = false; scale = max(scale, abs(r[j])) }
        if scale == 0 { return }
        let tolerance = 1e-13 * scale
        for _ in 0..<(3 * n) {
            // the free variable with the steepest descent
            var best = -1, steepest = tolerance
            for j in 0..<n where !passive[j] {
                var g = r[j]
                for l in 0..<n { g -= G[j * n + l] * x[l] }
                if g > steepest { steepest = g; best = j }
            }
            if best < 0 { return }
            passive[best] = true
            for _ in 0..<(3 * n) {
                solvePassive(G, r)
                var alpha = 1.0, blocked = false
                for j in 0..<n where passive[j] && z[j] <= 0 {
                    blocked = true
                    let denominator = x[j] - z[j]
                    alpha = min(alpha, denominator > 0 ? x[j] / denominator : 0)
                }
                if !blocked {
                    for j in 0..<n { x[j] = passive[j] ? z[j] : 0 }
                    break
                }
                for j in 0..<n where passive[j] {
                    x[j] += alpha * (z[j] - x[j])
                    if x[j] <= 1e-300 || z[j] <= 0 && x[j] <= 1e-15 * scale { x[j] = 0; passive[j] = false }
                }
                if !(0..<n).contains(where: { passive[$0] }) { break }
            }
        }
    }

    /// z_P = G_PP⁻¹ r_P by Cholesky (0 off P); a variable with a vanishing pivot leaves P and
    /// the factorisation starts again without it.
    private func solvePassive(_ G: UnsafePointer<Double>, _ r: UnsafePointer<Double>) {
        var m = 0
        factorisation: while true {
            m = 0
            for j in 0..<n where passive[j] { order[m] = j; m += 1 }
            // L Lᵀ = G_PP in `matrix` (lower triangle, m×m, row stride n)
            for k in 0..<m {
                let jk = order[k]
                var d = G[jk * n + jk]
                for l in 0..<k { d -= matrix[k * n + l] * matrix[k * n + l] }
                if !(d > 1e-12 * G[jk * n + jk]) {
                    passive[jk] = false                  // dependent on the others: it stays at 0
                    continue factorisation
                }
                let pivot = d.squareRoot()
                matrix[k * n + k] = pivot
                for i in (k + 1)..<max(m, k + 1) {
                    var s = G[order[i] * n + jk]
                    for l in 0..<k { s -= matrix[i * n + l] * matrix[k * n + l] }
                    matrix[i * n + k] = s / pivot
                }
            }
            break
        }
        for i in 0..<m {                                   // L y = r_P
            var s = r[order[i]]
            for l in 0..<i { s -= matrix[i * n + l] * rhs[l] }
            rhs[i] = s / matrix[i * n + i]
        }
        for j in 0..<n { z[j] = 0 }
        var i = m - 1
        while i >= 0 {                                     // Lᵀ z = y
            var s = rhs[i]
            for l in (i + 1)..<max(m, i + 1) { s -= matrix[l * n + i] * z[order[l]] }
            z[order[i]] = s / matrix[i * n + i]
            i -= 1
        }
    }
}
