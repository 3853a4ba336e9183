import Analysis
import FMSynthesis
import TestSupport

/// A plain reference implementation of the fitness, written for clarity, not speed: unit spectra
/// from an FFT of a rendered period (not Bessel functions), NNLS by enumerating every support
/// (the best feasible unconstrained solution over all supports is the NNLS optimum), and the
/// same start/sign-refinement rule as FitnessEvaluator (see its documentation), with every
/// r = S(σ∘b) recomputed from scratch.
struct ReferenceFitness {
    let b: [[Double]]          // active frames × K
    let floor: Double
    let signRefits: Int

    init(_ a: TargetAnalysis, signRefits: Int = 3) {
        let K = a.harmonicCount
        b = (0..<a.frameCount).filter { a.active[$0] }.map { t in Array(a.amplitudes[(t * K)..<((t + 1) * K)]) }
        let energies = b.map { $0.reduce(0) { $0 + $1 * $1 } }
        floor = energies.max()! * 1e-6
        self.signRefits = signRefits
    }

    func err(_ genome: [FMUnit]) -> Double {
        let e = frameErrors(genome)
        return zip(e, b).reduce(0) { $0 + ($1.0 / max($1.1.reduce(0) { $0 + $1 * $1 }, floor)).squareRoot() } / Double(b.count)
    }

    /// Σ_k (b_k − |m_k|)² of every active frame.
    func frameErrors(_ genome: [FMUnit]) -> [Double] {
        let K = b[0].count
        let S = genome.map { periodSpectrum($0, harmonics: K) }
        let n = S.count
        var G = [Double](repeating: 0, count: n * n)
        var trace = 0.0
        for i in 0..<n { for j in 0..<n { G[i * n + j] = zip(S[i], S[j]).reduce(0) { $0 + $1.0 * $1.1 } } }
        for i in 0..<n { trace += G[i * n + i] }
        for i in 0..<n { G[i * n + i] += 1e-12 * trace / Double(n) }
        var out = [Double]()
        for frame in b {
            let energy = frame.reduce(0) { $0 + $1 * $1 }
            var best = energy
            for start in [1.0, -1.0] {
                var sigma = [Double](repeating: start, count: K)
                func r() -> [Double] { S.map { s in (0..<K).reduce(0) { $0 + s[$1] * sigma[$1] * frame[$1] } } }
                if !r().contains(where: { $0 > 1e-13 * (r().map(abs).max() ?? 0) }) { continue }
                var a = enumerate(G, r(), n)
                var refits = 0
                var e: Double
                while true {
                    let m = (0..<K).map { k in (0..<n).reduce(0) { $0 + a[$1] * S[$1][k] } }
                    e = (0..<K).reduce(0) { $0 + (frame[$1] - abs(m[$1])) * (frame[$1] - abs(m[$1])) }
                    let tau = 1e-12 * (0..<n).reduce(0) { $0 + a[$1] * S[$1].map(abs).max()! }
                    let newSigma = (0..<K).map { m[$0] < -tau ? -1.0 : 1.0 }
                    let unchanged = (0..<K).allSatisfy { newSigma[$0] * frame[$0] == sigma[$0] * frame[$0] }
                    if unchanged || refits == signRefits { break }
                    sigma = newSigma
                    a = enumerate(G, r(), n)
                    refits += 1
                }
                if e < best { best = e }
            }
            out.append(best)
        }
        return out
    }

    /// NNLS by enumeration of supports.
    private func enumerate(_ G: [Double], _ r: [Double], _ n: Int) -> [Double] {
        var best = [Double](repeating: 0, count: n)
        var bestValue = 0.0                                    // objective ½aᵀGa − rᵀa at a = 0
        for mask in 1..<(1 << n) {
            let idx = (0..<n).filter { mask & (1 << $0) != 0 }
            // solve G_PP z = r_P by Gaussian elimination
            let m = idx.count
            var A = idx.map { i in idx.map { j in G[i * n + j] } }
            var y = idx.map { r[$0] }
            for c in 0..<m {
                for row in (c + 1)..<m {
                    let f = A[row][c] / A[c][c]
                    for k in c..<m { A[row][k] -= f * A[c][k] }
                    y[row] -= f * y[c]
                }
            }
            var z = [Double](repeating: 0, count: m)
            for c in stride(from: m - 1, through: 0, by: -1) {
                z[c] = (y[c] - ((c + 1)..<m).reduce(0) { $0 + A[c][$1] * z[$1] }) / A[c][c]
            }
            if z.contains(where: { $0 <= 0 }) { continue }
            let value = -0.5 * zip(z, idx).reduce(0) { $0 + $1.0 * r[$1.1] }   // at the LS solution
            if value < bestValue {
                bestValue = value
                best = [Double](repeating: 0, count: n)
                for (i, j) in idx.enumerated() { best[j] = z[i] }
            }
        }
        return best
    }
}
