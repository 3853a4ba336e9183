import Foundation

/// Envelope breakpoints whose *measured* amplitudes reproduce the fitted ones.
///
/// The fit gives each unit an amplitude a(t) per analysis frame, but the analysis measures a
/// frame of the render as a Hann-weighted mean over N samples (4 hops) of the render's envelope,
/// which is linear between breakpoints. Where the note changes fast (an abrupt end, an attack)
/// that smearing is large: breakpoints e = a make a nearly silent last frame as loud as its
/// neighbours. A phase-locked harmonic whose amplitude varies slowly over a window is measured as
///   â(t) = Σ_n w(n − c_t) e(n) / Σ w,   e(n) = Σ_s e_s h_s(n)   (h_s: linear interpolation hats),
/// i.e. â = C e with a banded matrix C (rows: frames, columns: breakpoints, ±3 hops). Since every
/// unit sits at the same harmonic frequencies with fixed signs, a frame's measured spectrum is
/// |Σ_j s_j (C e_j)(t)|: making C e_j ≈ a_j for each unit reproduces the fitted frame.
///
/// e_j solves min Σ_t ω_t ((C e)_t − a_t)² + λ Σ_s min(ω_s, ω_{s+1}) (e_{s+1} − e_s)², e ≥ 0, with
/// ω_t = 1 / max(Σ_k b_k(t)², floor) (the error is relative per frame, so a quiet frame weighs as
/// much as a loud one). The second term (Tikhonov on first differences, jumps measured against
/// the louder frame) settles what C cannot see: C averages over a Hann window of 4 hops, so a
/// breakpoint pattern alternating from one hop to the next (at sr/2H) is almost invisible to the
/// analysis, and without the term the solution zigzags where the note moves fast (attacks, ends)
/// — a listener hears that as crackle. With λ = `smoothness` = 0.01 the zigzag goes and the fit
/// of the measured amplitudes does not change visibly (README, "Dynamic FM"). Solved by cyclic
/// coordinate descent on the banded normal equations (exact minimisation along each coordinate,
/// projected onto e ≥ 0; converges for this convex problem).
package struct EnvelopeDeconvolution {
    let frames: Int
    let band: Int
    /// C as rows of (first column, weights).
    private var rows: [(first: Int, weights: [Double])] = []

    /// `window` N and `hop` H of the analysis, `sampleCount` of the render.
    package init(frames T: Int, window N: Int, hop H: Int, sampleCount: Int) {
        frames = T
        band = N / (2 * H) + 2
        let w = (0..<N).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(N)) }
        let wsum = w.reduce(0, +)
        for t in 0..<T {
            let first = max(0, t - band), last = min(T - 1, t + band)
            var weights = [Double](repeating: 0, count: last - first + 1)
            let start = t * H - N / 2
            for j in 0..<N {
                let n = start + j
                if n < 0 || n >= sampleCount { continue }       // the analysis pads with ~silence
                // hat functions: n lies between breakpoints s0 = n / H and s0 + 1 (the last holds)
                let s0 = n / H
                let frac = Double(n - s0 * H) / Double(H)
                if s0 >= T - 1 {
                    if T - 1 >= first && T - 1 <= last { weights[T - 1 - first] += w[j] }
                    continue
                }
                if s0 >= first && s0 <= last { weights[s0 - first] += w[j] * (1 - frac) }
                if s0 + 1 >= first && s0 + 1 <= last { weights[s0 + 1 - first] += w[j] * frac }
            }
            rows.append((first, weights.map { $0 / wsum }))
        }
    }

    /// Row t of C: the first breakpoint it weighs and the weights (frame t's measured amplitude
    /// is Σ_i weights[i] · e[first + i]).
    package func row(_ t: Int) -> (first: Int, weights: [Double]) { rows[t] }

    /// The ω of `solve` for an analysis: 1 / (frame energy), floored as in the error.
    package static func weights(_ analysis: TargetAnalysis) -> [Double] {
        let K = analysis.harmonicCount
        let energy = (0..<analysis.frameCount).map { t in
            (0..<K).reduce(0.0) { $0 + analysis.amplitudes[t * K + $1] * analysis.amplitudes[t * K + $1] }
        }
        let floor = max(energy.max() ?? 0, 1e-300) * AnalysisSettings.denominatorFloor
        return energy.map { 1 / max($0, floor) }
    }

    /// C for an analysis's frames and window.
    package init(_ analysis: TargetAnalysis) {
        self.init(frames: analysis.frameCount, window: analysis.parameters.window, hop: analysis.parameters.hop,
                  sampleCount: analysis.sampleCount)
    }

    /// Breakpoints e ≥ 0 with C e ≈ a in the ω-weighted least-squares sense.
    package func solve(_ a: [Double], weights omega: [Double], smoothness lambda: Double = 0.01, sweeps: Int = 400) -> [Double] {
        let T = frames
        // normal equations M e = v, M = Cᵀ Ω C (banded), v = Cᵀ Ω a
        let width = 2 * band
        let stride = 2 * width + 1
        var M = [Double](repeating: 0, count: T * stride)               // M[s][s + d], |d| ≤ width
        var v = [Double](repeating: 0, count: T)
        for t in 0..<T {
            let (first, wts) = rows[t]
            for (i, ci) in wts.enumerated() where ci != 0 {
                let s = first + i
                v[s] += ci * omega[t] * a[t]
                for (l, cl) in wts.enumerated() where cl != 0 {
                    let index: Int = s * stride + (first + l - s) + width
                    M[index] += ci * omega[t] * cl
                }
            }
        }
        for s in 0..<max(T - 1, 0) where lambda > 0 {
            let w = lambda * min(omega[s], omega[s + 1])
            M[s * stride + width] += w
            M[(s + 1) * stride + width] += w
            M[s * stride + 1 + width] -= w
            M[(s + 1) * stride - 1 + width] -= w
        }
        var e = a.map { max($0, 0) }
        let scale = max(a.max() ?? 0, 1e-300)
        for _ in 0..<sweeps {
            var change = 0.0
            for s in 0..<T {
                let diag = M[s * stride + width]
                if diag <= 0 { continue }
                var g = -v[s]
                for d in -width...width {
                    let r = s + d
                    if r < 0 || r >= T { continue }
                    g += M[s * stride + d + width] * e[r]
                }
                let updated = max(0, e[s] - g / diag)
                change = max(change, abs(updated - e[s]))
                e[s] = updated
            }
            if change < 1e-10 * scale { break }
        }
        return e
    }
}
