import Analysis

/// The target as the fitness sees it: harmonic amplitudes b_k(t) of the frames that count,
/// stored frame-major with each row padded with zeros to whole SIMD vectors.
public final class FitnessTarget: Sendable {
    /// Harmonics K in the error.
    public let harmonics: Int
    /// K rounded up to a multiple of the SIMD width (the row stride).
    public let stride: Int
    /// Frames in the error (the active ones).
    public let frames: Int
    /// b: frames × stride.
    let b: AlignedBuffer
    /// Σ_k b_k(t)² per frame.
    let energy: AlignedBuffer
    /// 1 / max(Σ_k b_k(t)², 1e-6 · max_t Σ_k b_k(t)²).
    let inverseDenominator: AlignedBuffer

    /// From the active frames of an analysis.
    public convenience init(analysis a: TargetAnalysis) {
        let rows = (0..<a.frameCount).filter { a.active[$0] }
        self.init(amplitudes: a.amplitudes, harmonics: a.harmonicCount, rows: rows)
    }

    /// From every frame of an analysis (silent ones too): used to fit envelopes for rendering.
    public static func allFrames(_ a: TargetAnalysis) -> FitnessTarget {
        FitnessTarget(amplitudes: a.amplitudes, harmonics: a.harmonicCount, rows: Array(0..<a.frameCount))
    }

    /// `amplitudes`: frame-major rows of K values; `rows`: the frames to keep.
    public init(amplitudes: [Double], harmonics K: Int, rows: [Int]) {
        harmonics = K
        stride = padded(K)
        frames = rows.count
        b = AlignedBuffer(count: rows.count * stride)
        var e = [Double](repeating: 0, count: rows.count)
        for (t, row) in rows.enumerated() {
            var s = 0.0
            for k in 0..<K {
                let v = amplitudes[row * K + k]
                b[t * stride + k] = v
                s += v * v
            }
            e[t] = s
        }
        energy = AlignedBuffer(count: rows.count)
        inverseDenominator = AlignedBuffer(count: rows.count)
        let floor = max(e.max() ?? 0, 1e-300) * AnalysisSettings.denominatorFloor
        for t in 0..<rows.count {
            energy[t] = e[t]
            inverseDenominator[t] = 1 / max(e[t], floor)
        }
    }

    /// b_k(t) (k zero-based).
    public func amplitude(frame t: Int, harmonic k: Int) -> Double { b[t * stride + k] }
}
