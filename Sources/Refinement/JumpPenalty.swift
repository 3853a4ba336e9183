/// The jump term of the refinement objective (README, "Dynamic FM"): where the recording is
/// steady (RefinementTarget.steadyPairs), a curve that changes between adjacent frames by more
/// than θ of its peak P is a click a listener hears (scripts/jumps.py counts them with θ = 0.3);
///   (μ_h/T) Σ_{steady t} Σ_curves max(0, |c(t+1) − c(t)|/P_c − θ)²
/// over the amplitude curves a_j = √D·x_j and the per-frame index curves. A hinge, not a
/// quadratic: changes below θ·P cost nothing, so the quadratic smoothness weights can stay small
/// and let the envelopes follow the recording, while the hinge (C¹, so L-BFGS sees a smooth
/// function) makes a jump cost more than any frame's error it could buy. P is each curve's peak
/// at the start of a leg (`anchorPeaks`), so the objective is fixed during a leg and a resumed
/// leg computes the same P from the same stored x.
extension RefinementObjective {
    /// Sets P from x: a_j's and every index curve's peak over the span (floors: 1e-6 of the
    /// loudest unit's peak, 0.01 rad, so that a silent or zero curve does not divide by 0).
    package func anchorPeaks(_ x: [Double]) {
        let r = target.rootDenominator
        x.withUnsafeBufferPointer { xp in
            expandIndices(xp.baseAddress! + N * F)
            for j in 0..<N { peaks[j] = (0..<F).reduce(0.0) { max($0, xp[j * F + $1] * r[$1]) } }
        }
        let loudest = peaks[0..<N].max() ?? 0
        for j in 0..<N { peaks[j] = max(peaks[j], 1e-6 * loudest, 1e-300) }
        for c in 0..<(2 * N) { peaks[N + c] = max((0..<F).reduce(0.0) { max($0, indices[c * F + $1]) }, 0.01) }
    }

    /// The jump term at x (per-frame indices already expanded); adds its gradient to the
    /// amplitudes' and to the per-frame index gradient.
    func jumps(_ x: UnsafePointer<Double>, _ gradient: UnsafeMutablePointer<Double>, scale: Double) -> Double {
        if scale == 0 || F < 2 { return 0 }
        let r = target.rootDenominator, steady = target.steadyPairs, theta = settings.jumpLimit
        var value = 0.0
        for j in 0..<N {
            let xj = x + j * F, gj = gradient + j * F, P = peaks[j]
            for t in 0..<(F - 1) where steady[t] {
                let d = (xj[t + 1] * r[t + 1] - xj[t] * r[t]) / P
                let excess = abs(d) - theta
                if excess <= 0 { continue }
                value += excess * excess
                let g = scale * 2 * excess * (d < 0 ? -1 : 1) / P
                gj[t + 1] += g * r[t + 1]
                gj[t] -= g * r[t]
            }
        }
        for c in 0..<(2 * N) {
            let P = peaks[N + c]
            for t in 0..<(F - 1) where steady[t] {
                let d = (indices[c * F + t + 1] - indices[c * F + t]) / P
                let excess = abs(d) - theta
                if excess <= 0 { continue }
                value += excess * excess
                let g = scale * 2 * excess * (d < 0 ? -1 : 1) / P
                indexGradient[c * F + t + 1] += g
                indexGradient[c * F + t] -= g
            }
        }
        return scale * value
    }
}

extension RefinementObjective {
    /// Steady pairs where a curve (amplitude or index) moves by more than θ·P at x: where the
    /// hinge is active.
    package func jumpPairs(_ x: [Double]) -> Int {
        x.withUnsafeBufferPointer { expandIndices($0.baseAddress! + N * F) }
        let r = target.rootDenominator, steady = target.steadyPairs, theta = settings.jumpLimit
        var count = 0
        for t in 0..<max(F - 1, 0) where steady[t] {
            for j in 0..<N where abs(x[j * F + t + 1] * r[t + 1] - x[j * F + t] * r[t]) / peaks[j] > theta { count += 1 }
            for c in 0..<(2 * N) where abs(indices[c * F + t + 1] - indices[c * F + t]) / peaks[N + c] > theta { count += 1 }
        }
        return count
    }
}
