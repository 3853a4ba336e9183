/// The refinement fits what the patch plays (README, "Dynamic FM"): its amplitude variables are
/// the envelope breakpoints y_j(s) (relative units, e = √D·y, one at each span frame's centre),
/// and a frame sees what the analysis measures of the linear envelope through them — a Hann-
/// weighted mean over the analysis window (EnvelopeDeconvolution's C):
///   x_j(t) = Σ_s W_ts y_j(s) + o_j(t),   ∂f/∂y_j(s) = Σ_t W_ts ∂f/∂x_j(t)
/// with o_j the fixed breakpoints outside the span (Refiner). So the fit's error is the render's
/// (up to the index curves' own smearing), the patch plays the breakpoints as they are, and the
/// smoothness and jump terms act on the envelope that is played. Without `windowedAmplitudes`
/// (runs stored before it) W is the identity: y are frame amplitudes, deconvolved for export.
extension RefinementObjective {
    /// x = W y + o into `measured`.
    func measure(_ y: UnsafePointer<Double>) {
        if !windowed {
            for i in 0..<(N * F) { measured[i] = y[i] }
            return
        }
        let first = target.windowFirst, weights = target.windowWeights
        for j in 0..<N {
            let yj = y + j * F
            for t in 0..<F {
                var sum = offsets[j * F + t]
                let w = weights[t], s0 = first[t]
                for i in 0..<w.count { sum += w[i] * yj[s0 + i] }
                measured[j * F + t] = sum
            }
        }
    }

    /// ∂f/∂y = Wᵀ ∂f/∂x into `gradient` (assigned, not added).
    func spreadGradient(into gradient: UnsafeMutablePointer<Double>) {
        if !windowed {
            for i in 0..<(N * F) { gradient[i] = measuredGradient[i] }
            return
        }
        for i in 0..<(N * F) { gradient[i] = 0 }
        let first = target.windowFirst, weights = target.windowWeights
        for j in 0..<N {
            let gj = gradient + j * F
            for t in 0..<F {
                let g = measuredGradient[j * F + t], w = weights[t], s0 = first[t]
                for i in 0..<w.count { gj[s0 + i] += w[i] * g }
            }
        }
    }
}
