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
    }

    /// The analysis frames of the span.
    public var rows: [Int] { Array(first..<(first + frames)) }
}
