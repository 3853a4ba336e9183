import Fitness
import Testing

/// ActiveSetNNLS (Lawson–Hanson) on hand-solved problems and on random ones checked by the
/// optimality (KKT) conditions: x ≥ 0, g = r − Gx ≤ 0 where x = 0 and g = 0 where x > 0.
@Suite struct ActiveSetNNLSTests {
    static func solve(_ G: [Double], _ r: [Double]) -> [Double] {
        let solver = ActiveSetNNLS(n: r.count)
        defer { solver.deallocate() }
        var x = [Double](repeating: -1, count: r.count)
        G.withUnsafeBufferPointer { g in r.withUnsafeBufferPointer { rr in
            x.withUnsafeMutableBufferPointer { solver.solve(gram: g.baseAddress!, r: rr.baseAddress!, into: $0.baseAddress!) }
        } }
        return x
    }

    /// The cases of NNLSTests: (2, 0); clipping (1, 0, 3); interior (1, 2); duplicate units sum
    /// to 3; nothing positive gives 0.
    @Test func handSolved() {
        let a = Self.solve([1, 1, 1, 2], [2, 1])
        #expect(abs(a[0] - 2) < 1e-12 && a[1] == 0)
        let b = Self.solve([1, 0, 0, 0, 1, 0, 0, 0, 1], [1, -2, 3])
        #expect(abs(b[0] - 1) < 1e-12 && b[1] == 0 && abs(b[2] - 3) < 1e-12)
        let c = Self.solve([2, 1, 1, 2], [4, 5])
        #expect(abs(c[0] - 1) < 1e-12 && abs(c[1] - 2) < 1e-12)
        let d = Self.solve([1, 1, 1, 1], [3, 3])
        #expect(d[0] >= 0 && d[1] >= 0 && abs(d[0] + d[1] - 3) < 1e-12)
        #expect(Self.solve([1, 0.5, 0.5, 1], [-1, -0.2]) == [0, 0])
    }

    /// 2000 random problems, n = 1…8, G = SSᵀ of random S (n × 12, some rows repeated so that G is
    /// singular): the KKT conditions hold to 1e-9 of max|r|.
    @Test func randomProblemsAreOptimal() {
        var seed: UInt64 = 0x9E3779B97F4A7C15
        func uniform() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53) * 2 - 1
        }
        for trial in 0..<2000 {
            let n = 1 + trial % 8, m = 12
            var S = (0..<(n * m)).map { _ in uniform() }
            if n > 2 && trial % 5 == 0 { for k in 0..<m { S[(n - 1) * m + k] = S[k] } }      // a repeated unit
            let b = (0..<m).map { _ in uniform() }
            var G = [Double](repeating: 0, count: n * n), r = [Double](repeating: 0, count: n)
            for j in 0..<n {
                for k in 0..<m { r[j] += S[j * m + k] * b[k] }
                for l in 0..<n { for k in 0..<m { G[j * n + l] += S[j * m + k] * S[l * m + k] } }
            }
            let x = Self.solve(G, r)
            let scale = max(r.map(abs).max() ?? 0, 1e-300)
            for j in 0..<n {
                var g = r[j]
                for l in 0..<n { g -= G[j * n + l] * x[l] }
                #expect(x[j] >= 0, "trial \(trial): x[\(j)] = \(x[j])")
                #expect(x[j] > 0 ? abs(g) <= 1e-9 * scale : g <= 1e-9 * scale, "trial \(trial): x[\(j)] = \(x[j]), gradient \(g)")
            }
        }
    }
}
