import Analysis

/// The target as the refinement sees it: the frames from the first active one to the last (the
/// *span*; silent frames inside it are carried by the smoothness terms alone), each frame's
/// harmonics scaled to unit norm, b̂_k(t) = b_k(t) / √D_t with the fitness's denominator
/// D_t = max(Σ_k b_k(t)², 1e-6 · max_t Σ_k b_k(t)²) — so that
///   sqrt(Σ_k (b̂_k − |m̂_k|)²) = sqrt(Σ_k (b_k − |m_k|)² / D_t),   m = √D_t · m̂,
/// the frame's term of Horner's relative error, and every frame's amplitudes are of order 1.
public struct RefinementTarget: Sendable {
    /// Analysis frame of the span's first frame.
    public let first: Int
    /// Frames in the span (F).
    public let frames: Int
    public let harmonics: Int
    /// b̂, F rows of K.
    let normalised: [Double]
    /// √D_t of each span frame.
    let rootDenominator: [Double]
    /// 1 for active frames, 0 for silent ones inside the span.
    let weight: [Double]
    /// Active frames (T in the error's mean).
    public let activeFrames: Int
    /// Centre time of each span frame (s).
    public let times: [Double]
    /// Frame pairs (t, t+1) of the span where the recording is steady, so that an envelope of the
    /// match must not jump there (RefinementSettings.jumpLimit): both frames active, from the
    /// first frame whose harmonic norm √D reaches half its largest to the last one that does
    /// (the recording's own attack and release are excused), and no pair within two of one where
    /// the norm itself moves by more than 30 % of its largest. scripts/jumps.py counts jumps by
    /// the same rule on fmscore's analysis.
    public let steadyPairs: [Bool]
    /// What the analysis measures of envelope breakpoints (EnvelopeDeconvolution's C), in the
    /// refinement's relative units: with breakpoints e(s) = √D_s·y(s) over the span, frame t of
    /// the span measures x(t) = Σ_i windowWeights[t][i]·y(windowFirst[t] + i) + (the breakpoints
    /// outside the span, fixed: Refiner's offsets), windowWeights[t][i] = C_{t,s}·√D_s/√D_t.
    let windowFirst: [Int]
    let windowWeights: [[Double]]
    /// C over all the analysis's frames (for the fixed breakpoints outside the span).
    let deconvolution: EnvelopeDeconvolution

    public init(analysis a: TargetAnalysis) {
        let K = a.harmonicCount
        let active = (0..<a.frameCount).filter { a.active[$0] }
        let first = active.first ?? 0, last = active.last ?? 0
        self.first = first
        frames = last - first + 1
        harmonics = K
        activeFrames = max(active.count, 1)
        let energy = (0..<a.frameCount).map { t in (0..<K).reduce(0.0) { $0 + a.amplitudes[t * K + $1] * a.amplitudes[t * K + $1] } }
        let floor = max(energy.max() ?? 0, 1e-300) * AnalysisSettings.denominatorFloor
        var b = [Double](repeating: 0, count: frames * K), root = [Double](repeating: 0, count: frames)
        var w = root
        for t in 0..<frames {
            let r = max(energy[first + t], floor).squareRoot()
            root[t] = r
            w[t] = a.active[first + t] ? 1 : 0
            for k in 0..<K { b[t * K + k] = a.amplitudes[(first + t) * K + k] / r }
        }
        normalised = b
        rootDenominator = root
        weight = w
        times = (0..<frames).map { a.frameTime(first + $0) }
        let C = EnvelopeDeconvolution(a)
        deconvolution = C
        var firsts = [Int](), weights = [[Double]]()
        for t in 0..<frames {
            let (c0, cw) = C.row(first + t)
            let lo = max(c0, first), hi = min(c0 + cw.count, first + frames)   // span columns [lo, hi)
            firsts.append(lo - first)
            weights.append((lo..<max(hi, lo)).map { s in cw[s - c0] * root[s - first] / root[t] })
        }
        windowFirst = firsts
        windowWeights = weights
        steadyPairs = Self.steadyPairs(norm: energy.map { $0.squareRoot() }, active: a.active, first: first, frames: frames)
    }

    /// The steady pairs of the span [first, first + frames) (see `steadyPairs`).
    package static func steadyPairs(norm: [Double], active: [Bool], first: Int, frames: Int) -> [Bool] {
        let largest = norm.max() ?? 0
        guard frames > 1, largest > 0,
              let rise = norm.firstIndex(where: { $0 >= 0.5 * largest }),
              let fall = norm.lastIndex(where: { $0 >= 0.5 * largest }) else { return [Bool](repeating: false, count: max(frames - 1, 0)) }
        var steady = (0..<(norm.count - 1)).map { t in active[t] && active[t + 1] && rise <= t && t + 1 <= fall }
        for t in 0..<(norm.count - 1) where abs(norm[t + 1] - norm[t]) > 0.3 * largest {
            for u in max(0, t - 2)..<min(t + 3, steady.count) { steady[u] = false }
        }
        return (0..<(frames - 1)).map { steady[first + $0] }
    }

    /// The analysis frames of the span.
    public var rows: [Int] { Array(first..<(first + frames)) }
}
