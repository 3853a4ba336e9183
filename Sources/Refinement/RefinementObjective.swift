import Dispatch
import FMSynthesis

/// The refinement's objective and its exact gradient (README, "Dynamic FM").
///
/// Variables: x_j(t) ≥ 0, unit j's amplitude in frame t relative to the frame's norm
/// (a_j(t) = √D_t · x_j(t)), unit-major, then the knot values of the 2N index curves (IndexKnots).
///   f = (1/T) Σ_t w_t sqrt(E_t)                                   Horner's error (method.md)
///     + (μ_a/T) Σ_{t,j} (a_j(t+1) − a_j(t))² / (max(D_t, D_{t+1}) ρ_j²)  amplitude smoothness
///     + (μ_I/T) Σ_{t,c} (I_c(t+1) − I_c(t))²                        index smoothness
///     + (μ_h/T) Σ_{steady t} Σ_curves max(0, |Δ_t|/P − θ)²           jumps (JumpPenalty.swift)
///   E_t = Σ_k (b̂_k(t) − |m̂_k(t)|)²,  m̂_k(t) = Σ_j x_j(t) s_jk(I1_j(t), I2_j(t))
/// Gradient of a frame's term, with g_k = ∂E/∂m̂_k = −2 (b̂_k − |m̂_k|) sgn(m̂_k) (sgn 0 = +1):
///   ∂/∂x_j = Σ_k g_k s_jk / (2√E),   ∂/∂I_jm = x_j Σ_k g_k ∂s_jk/∂I_m / (2√E)
/// with ∂s/∂I exact (SpectrumGradient); frames with E_t = 0 contribute no gradient. ρ_j is unit
/// j's largest relative amplitude max_t x_j(t) in the static fit (at least 0.05), so a jump is
/// measured against the unit's own peak — what a listener hears as a click — not against the
/// whole frame: a quiet unit's jumps cost as much as a loud one's. The frames
/// are computed in parallel (each writes only its own entries) and summed in frame order, so
/// the value does not depend on the number of threads.
package final class RefinementObjective: @unchecked Sendable {
    let target: RefinementTarget
    let units: [FMUnit]
    let settings: RefinementSettings
    let knots: IndexKnots
    let threads: Int
    /// ρ_j: each unit's amplitude scale (see above).
    let unitScale: [Double]
    let N: Int, F: Int, K: Int
    /// Per-frame index values, curve-major (2N × F), and their gradients.
    var indices: [Double]
    var indexGradient: [Double]
    /// P of the jump term: each amplitude curve's peak (N), then each index curve's (2N), fixed
    /// for a leg (`anchorPeaks`).
    var peaks: [Double]
    /// Breakpoints (not frame amplitudes) are the variables (RefinementSettings.windowedAmplitudes):
    /// the frames see x = W y + offsets (MeasuredAmplitudes.swift).
    let windowed: Bool
    /// The fixed breakpoints outside the span, as they add to each unit's frames (N × F, relative).
    let offsets: [Double]
    /// The frames' amplitudes x and the error's gradient with respect to them (N × F).
    var measured: [Double]
    var measuredGradient: [Double]
    private var frameTerm: [Double]
    private let workspaces: [Scratch]

    /// One worker's buffers (allocated once): spectra and derivatives of the N units, m̂, and
    /// its own copies of b̂ and the frame weights (no shared reference counts in the loop).
    final class Scratch: @unchecked Sendable {
        let gradient: GradientWorkspace
        let s: UnsafeMutablePointer<Double>, d1: UnsafeMutablePointer<Double>, d2: UnsafeMutablePointer<Double>
        let m: UnsafeMutablePointer<Double>
        let target: UnsafeMutablePointer<Double>, weight: UnsafeMutablePointer<Double>
        init(_ t: RefinementTarget, N: Int, maxIndex: Double) {
            let K = t.harmonics
            gradient = GradientWorkspace(maxIndex: maxIndex, maxHarmonics: K)
            s = .allocate(capacity: N * K); d1 = .allocate(capacity: N * K); d2 = .allocate(capacity: N * K)
            m = .allocate(capacity: K)
            target = .allocate(capacity: t.normalised.count)
            target.initialize(from: t.normalised, count: t.normalised.count)
            weight = .allocate(capacity: t.frames)
            weight.initialize(from: t.weight, count: t.frames)
        }
        deinit { for p in [s, d1, d2, m, target, weight] { p.deallocate() } }
    }

    package init(target: RefinementTarget, units: [FMUnit], knots: IndexKnots, settings: RefinementSettings, threads: Int,
                 unitScale: [Double]? = nil, offsets: [Double]? = nil) {
        self.target = target
        self.unitScale = unitScale ?? units.map { _ in 1 }
        self.units = units
        self.knots = knots
        self.settings = settings
        self.threads = max(threads, 1)
        N = units.count; F = target.frames; K = target.harmonics
        indices = [Double](repeating: 0, count: 2 * N * F)
        indexGradient = indices
        peaks = [Double](repeating: 1, count: 3 * units.count)
        windowed = settings.windowedAmplitudes
        self.offsets = offsets ?? [Double](repeating: 0, count: units.count * target.frames)
        measured = self.offsets
        measuredGradient = self.offsets
        frameTerm = [Double](repeating: 0, count: F)
        workspaces = (0..<max(threads, 1)).map { _ in Scratch(target, N: units.count, maxIndex: settings.maxIndex) }
    }

    /// Variables: N·F amplitudes, then the knot values.
    package var dimension: Int { N * F + knots.count }

    /// f(x); writes ∂f/∂x into `gradient`.
    package func evaluate(_ x: UnsafePointer<Double>, _ gradient: UnsafeMutablePointer<Double>) -> Double {
        expandIndices(x + N * F)
        measure(x)
        computeFramesOnMeasured()
        spreadGradient(into: gradient)
        let T = Double(target.activeFrames)
        var value = 0.0
        for t in 0..<F { value += frameTerm[t] }
        value /= T
        value += amplitudeSmoothness(x, gradient, scale: settings.amplitudeSmoothness / T)
        value += indexSmoothness(scale: settings.indexSmoothness / T)
        value += jumps(x, gradient, scale: settings.jumpWeight / T)
        collectIndexGradient(gradient + N * F)
        return value
    }

    /// Horner's error alone at x (no smoothness terms).
    package func error(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { xp in
            expandIndices(xp.baseAddress! + N * F)
            measure(xp.baseAddress!)
        }
        computeFramesOnMeasured()
        return frameTerm.reduce(0, +) / Double(target.activeFrames)
    }

    /// The per-frame index curves (2N × F, curve-major) at the knot values v.
    func expandIndices(_ v: UnsafePointer<Double>) {
        let offsets = knots.offsets
        indices.withUnsafeMutableBufferPointer { out in
            for c in 0..<(2 * N) { knots.interpolate(curve: c, knotValues: v + offsets[c], into: out.baseAddress! + c * F, frames: F) }
        }
    }

    var frameIndices: [Double] { indices }

    /// The buffers one evaluation's workers share (each frame writes only its own entries).
    struct Shared: @unchecked Sendable {
        let x: UnsafePointer<Double>, I: UnsafePointer<Double>
        let gradient: UnsafeMutablePointer<Double>, gI: UnsafeMutablePointer<Double>, terms: UnsafeMutablePointer<Double>
    }

    /// computeFrames on the measured amplitudes, into their gradient.
    private func computeFramesOnMeasured() {
        measured.withUnsafeBufferPointer { xp in
            measuredGradient.withUnsafeMutableBufferPointer { gp in computeFrames(xp.baseAddress!, gp.baseAddress!) }
        }
    }

    /// Every frame's error term, amplitude gradient and per-frame index gradient, in parallel.
    private func computeFrames(_ x: UnsafePointer<Double>, _ gradient: UnsafeMutablePointer<Double>) {
        let chunks = threads, F = F
        indices.withUnsafeBufferPointer { ip in
            indexGradient.withUnsafeMutableBufferPointer { gi in
                frameTerm.withUnsafeMutableBufferPointer { ft in
                    let shared = Shared(x: x, I: ip.baseAddress!, gradient: gradient, gI: gi.baseAddress!, terms: ft.baseAddress!)
                    if chunks == 1 {
                        for t in 0..<F { frame(t, shared, workspaces[0]) }
                        return
                    }
                    DispatchQueue.concurrentPerform(iterations: chunks) { c in
                        let scratch = self.workspaces[c]
                        for t in (c * F / chunks)..<((c + 1) * F / chunks) { self.frame(t, shared, scratch) }
                    }
                }
            }
        }
    }

    /// Frame t: spectra and derivatives at its indices, m̂, E, and the gradient entries.
    private func frame(_ t: Int, _ p: Shared, _ scratch: Scratch) {
        let N = N, F = F, K = K
        let b = scratch.target + t * K
        let s = scratch.s, d1 = scratch.d1, d2 = scratch.d2, m = scratch.m
        for k in 0..<K { m[k] = 0 }
        for j in 0..<N {
            var u = units[j]
            u.index1 = p.I[(2 * j) * F + t]
            u.index2 = p.I[(2 * j + 1) * F + t]
            SpectrumGradient.compute(u, harmonics: K, value: s + j * K, dIndex1: d1 + j * K, dIndex2: d2 + j * K,
                                     workspace: scratch.gradient)
            let xj = p.x[j * F + t]
            for k in 0..<K { m[k] += xj * s[j * K + k] }
        }
        var E = 0.0
        for k in 0..<K {
            let r = b[k] - abs(m[k])
            E += r * r
        }
        let w = scratch.weight[t]
        p.terms[t] = w * E.squareRoot()
        // m ← g_k · w / (2√E T): the common factor of every derivative of this frame's term
        let factor = E > 0 && w > 0 ? w / (2 * E.squareRoot() * Double(target.activeFrames)) : 0
        for k in 0..<K {
            let r = b[k] - abs(m[k])
            m[k] = -2 * r * (m[k] < 0 ? -1 : 1) * factor
        }
        for j in 0..<N {
            var ga = 0.0, g1 = 0.0, g2 = 0.0
            for k in 0..<K {
                ga += m[k] * s[j * K + k]
                g1 += m[k] * d1[j * K + k]
                g2 += m[k] * d2[j * K + k]
            }
            let xj = p.x[j * F + t]
            p.gradient[j * F + t] = ga
            p.gI[(2 * j) * F + t] = xj * g1
            p.gI[(2 * j + 1) * F + t] = xj * g2
        }
    }

    /// (μ_a/T) Σ (a_j(t+1) − a_j(t))² / max(D_t, D_{t+1}), a = √D·x; adds its gradient.
    private func amplitudeSmoothness(_ x: UnsafePointer<Double>, _ gradient: UnsafeMutablePointer<Double>, scale: Double) -> Double {
        if scale == 0 || F < 2 { return 0 }
        let r = target.rootDenominator
        var value = 0.0
        for j in 0..<N {
            let xj = x + j * F, gj = gradient + j * F
            for t in 0..<(F - 1) {
                let m = max(r[t], r[t + 1]) * unitScale[j]
                let d = (xj[t + 1] * r[t + 1] - xj[t] * r[t]) / m
                value += d * d
                gj[t + 1] += scale * 2 * d * r[t + 1] / m
                gj[t] -= scale * 2 * d * r[t] / m
            }
        }
        return scale * value
    }

    /// (μ_I/T) Σ (I_c(t+1) − I_c(t))² on the per-frame curves; adds to their gradient.
    private func indexSmoothness(scale: Double) -> Double {
        if scale == 0 || F < 2 { return 0 }
        var value = 0.0
        for c in 0..<(2 * N) {
            for t in 0..<(F - 1) {
                let d = indices[c * F + t + 1] - indices[c * F + t]
                value += d * d
                indexGradient[c * F + t + 1] += scale * 2 * d
                indexGradient[c * F + t] -= scale * 2 * d
            }
        }
        return scale * value
    }

    /// Per-frame index gradients → knot gradients.
    private func collectIndexGradient(_ g: UnsafeMutablePointer<Double>) {
        let offsets = knots.offsets
        indexGradient.withUnsafeBufferPointer { gi in
            for c in 0..<(2 * N) { knots.accumulate(curve: c, perFrame: gi.baseAddress! + c * F, into: g + offsets[c]) }
        }
    }
}
