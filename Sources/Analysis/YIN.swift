/// YIN pitch detection on one frame (de Cheveigné & Kawahara, JASA 111(4), 2002).
///
/// d(τ) = Σ_{j<W} (x_j − x_{j+τ})², computed as e₀ + e_τ − 2r(τ);
/// d'(τ) = d(τ)·τ / Σ_{u=1..τ} d(u) (cumulative-mean normalisation, d'(0) = 1).
/// The period is the first τ whose d' dips below the threshold (followed to its local minimum),
/// else the global minimum, refined by parabolic interpolation; d'(τ) is the aperiodicity.
struct YIN {
    let tauMin: Int
    let tauMax: Int
    let window: Int
    private var r: [Double]
    private var cmnd: [Double]

    init(tauMin: Int, tauMax: Int, window: Int) {
        self.tauMin = tauMin
        self.tauMax = tauMax
        self.window = window
        r = [Double](repeating: 0, count: tauMax + 1)
        cmnd = [Double](repeating: 1, count: tauMax + 1)
    }

    /// `frame` holds window + tauMax + 1 samples (mean removed). Returns (τ, aperiodicity),
    /// or nil when the estimate is at the edge of the search range.
    mutating func estimate(_ frame: UnsafeBufferPointer<Double>) -> (tau: Double, aperiodicity: Double)? {
        let W = window
        precondition(frame.count >= W + tauMax)
        // r(τ) and the energies e₀ = Σ_{j<W} x_j², e_τ = Σ_{τ≤j<τ+W} x_j²
        for tau in 0...tauMax {
            var s = 0.0
            for j in 0..<W { s += frame[j] * frame[j + tau] }
            r[tau] = s
        }
        var e0 = 0.0
        for j in 0..<W { e0 += frame[j] * frame[j] }
        var et = e0
        var cumulative = 0.0
        cmnd[0] = 1
        for tau in 1...tauMax {
            et += frame[tau + W - 1] * frame[tau + W - 1] - frame[tau - 1] * frame[tau - 1]
            let d = max(e0 + et - 2 * r[tau], 0)
            cumulative += d
            cmnd[tau] = cumulative > 0 ? d * Double(tau) / cumulative : 1
        }
        var t: Int
        if let below = (tauMin..<tauMax).first(where: { cmnd[$0] < AnalysisSettings.yinThreshold }) {
            t = below
            while t + 1 < tauMax && cmnd[t + 1] < cmnd[t] { t += 1 }
        } else {
            t = tauMin
            for tau in tauMin..<tauMax where cmnd[tau] < cmnd[t] { t = tau }
        }
        if t <= 1 || t >= tauMax { return nil }
        let a = cmnd[t - 1], b = cmnd[t], g = cmnd[t + 1]
        let den = a - 2 * b + g
        var p = den > 0 ? 0.5 * (a - g) / den : 0
        p = min(max(p, -0.5), 0.5)
        return (Double(t) + p, b)
    }
}
