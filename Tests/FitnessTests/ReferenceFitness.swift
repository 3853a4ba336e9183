import Analysis
import Fitness
import FMSynthesis
import TestSupport

/// A plain reference implementation of the fitness, written for clarity, not speed: unit spectra
/// from an FFT of a rendered period (not Bessel functions), NNLS by enumerating every support
/// with Gaussian elimination (the best feasible unconstrained solution over all supports is the
/// NNLS optimum), one frame at a time, every r = S(σ∘b) and every error computed from scratch.
/// It follows the definition in FitnessEvaluator's documentation: the runs of frames, the warm
/// start from the previous frame's kept signs, the cold starts +b and −b, the sign refits.
struct ReferenceFitness {
    let b: [[Double]]          // active frames × K
    let floor: Double
    let settings: FitSettings

    init(_ a: TargetAnalysis, settings: FitSettings = .standard) {
        let K = a.harmonicCount
        self.init(frames: (0..<a.frameCount).filter { a.active[$0] }.map { t in Array(a.amplitudes[(t * K)..<((t + 1) * K)]) },
                  settings: settings)
    }

    /// `frames`: b of every frame that counts.
    init(frames: [[Double]], settings: FitSettings = .standard) {
        b = frames
        let energies = b.map { $0.reduce(0) { $0 + $1 * $1 } }
        floor = energies.max()! * 1e-6
        self.settings = settings
    }

    func err(_ genome: [FMUnit]) -> Double {
        let e = frameErrors(genome)
        return zip(e, b).reduce(0) { $0 + ($1.0 / max($1.1.reduce(0) { $0 + $1 * $1 }, floor)).squareRoot() } / Double(b.count)
    }

    /// Σ_k (b_k − |m_k|)² of every active frame.
    func frameErrors(_ genome: [FMUnit]) -> [Double] {
        let K = b[0].count, T = b.count
        let S = genome.map { periodSpectrum($0, harmonics: K) }
        let n = S.count
        var G = [Double](repeating: 0, count: n * n)
        var trace = 0.0
        for i in 0..<n { for j in 0..<n { G[i * n + j] = zip(S[i], S[j]).reduce(0) { $0 + $1.0 * $1.1 } } }
        for i in 0..<n { trace += G[i * n + i] }
        for i in 0..<n { G[i * n + i] += 1e-12 * trace / Double(n) }
        let interval = settings.coldStartInterval
        let L = (T + 7) / 8                                     // 8 runs of L frames
        var out = [Double](repeating: 0, count: T)
        for run in 0..<8 {
            var previous = [Double](repeating: 1, count: K)      // signs of the last kept fit
            for i in 0..<L where run * L + i < T {
                let frame = b[run * L + i]
                let cold = interval == 0 || i % interval == 0
                let warm = interval != 0 && i > 0
                var starts = [[Double]]()
                if warm { starts.append(previous) }
                if cold {
                    starts.append([Double](repeating: 1, count: K))
                    if settings.negativeStart { starts.append([Double](repeating: -1, count: K)) }
                }
                var best = frame.reduce(0) { $0 + $1 * $1 }
                // the signs handed on: the warm start's final ones (its initial ones where b = 0
                // or when it is skipped), else +1; replaced by those of a start that beats the best
                var kept = [Double](repeating: 1, count: K)
                for (index, start) in starts.enumerated() {
                    let (e, signs) = fit(from: start, frame, S, G)
                    if warm && index == 0 { kept = (0..<K).map { signs[$0] * frame[$0] < 0 ? -1.0 : 1.0 } }
                    if let e, e < best {
                        best = e
                        kept = (0..<K).map { signs[$0] * frame[$0] < 0 ? -1.0 : 1.0 }
                    }
                }
                out[run * L + i] = best
                previous = kept
            }
        }
        return out
    }

    /// One start: its final error and signs σ', or nil when the start is skipped.
    private func fit(from start: [Double], _ frame: [Double], _ S: [[Double]], _ G: [Double]) -> (Double?, [Double]) {
        let K = frame.count, n = S.count
        var sigma = start
        func r() -> [Double] { S.map { s in (0..<K).reduce(0) { $0 + s[$1] * sigma[$1] * frame[$1] } } }
        let r0 = r()
        if !r0.contains(where: { $0 > 1e-13 * (r0.map(abs).max() ?? 0) }) { return (nil, sigma) }
        var a = enumerate(G, r0, n)
        var refits = 0
        while true {
            let m = (0..<K).map { k in (0..<n).reduce(0) { $0 + a[$1] * S[$1][k] } }
            let e = (0..<K).reduce(0) { $0 + (frame[$1] - abs(m[$1])) * (frame[$1] - abs(m[$1])) }
            let tau = 1e-12 * (0..<n).reduce(0) { $0 + a[$1] * S[$1].map(abs).max()! }
            let newSigma = (0..<K).map { m[$0] < -tau ? -1.0 : 1.0 }
            let unchanged = (0..<K).allSatisfy { newSigma[$0] * frame[$0] == sigma[$0] * frame[$0] }
            sigma = newSigma
            if unchanged || refits == settings.signRefits { return (e, sigma) }
            a = enumerate(G, r(), n)
            refits += 1
        }
    }

    /// NNLS by enumeration of supports.
    private func enumerate(_ G: [Double], _ r: [Double], _ n: Int) -> [Double] {
        var best = [Double](repeating: 0, count: n)
        var bestValue = 0.0                                    // objective ½aᵀGa − rᵀa at a = 0
        for mask in 1..<(1 << n) {
            let idx = (0..<n).filter { mask & (1 << $0) != 0 }
            // solve G_PP z = r_P
            let z = solveLinear(idx.map { i in idx.map { j in G[i * n + j] } }, idx.map { r[$0] })
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
