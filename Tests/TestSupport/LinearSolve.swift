/// A x = b for a small dense square A, by Gaussian elimination with partial pivoting — the
/// plain reference solver of the tests (the code under test never uses it).
public func solveLinear(_ A: [[Double]], _ b: [Double]) -> [Double] {
    var M = A, v = b
    let n = v.count
    for k in 0..<n {
        let p = (k..<n).max { abs(M[$0][k]) < abs(M[$1][k]) }!
        M.swapAt(k, p); v.swapAt(k, p)
        for r in (k + 1)..<n {
            let f = M[r][k] / M[k][k]
            for c in k..<n { M[r][c] -= f * M[k][c] }
            v[r] -= f * v[k]
        }
    }
    var x = [Double](repeating: 0, count: n)
    for k in stride(from: n - 1, through: 0, by: -1) {
        x[k] = (v[k] - ((k + 1)..<n).reduce(0) { $0 + M[k][$1] * x[$1] }) / M[k][k]
    }
    return x
}
