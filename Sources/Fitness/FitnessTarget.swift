import Analysis

/// The target as the fitness sees it: harmonic amplitudes b_k(t) of the frames that count.
///
/// The kernel fits `laneCount` frames at once, one per SIMD lane, and each lane works through
/// its own run of consecutive frames (so that a frame can start from the previous frame's fit):
/// the T frames are cut into `laneCount` runs of L = ⌈T/laneCount⌉ (the last one padded with
/// silent frames), and step i of the kernel fits frame l·L + i in lane l. The amplitudes are
/// stored step by step, each step as K lane vectors (b_k of its `laneCount` frames), so that
/// one load gives harmonic k of a whole step and a step's amplitudes are contiguous.
public final class FitnessTarget: Sendable {
    /// Harmonics K in the error.
    public let harmonics: Int
    /// Frames in the error (the active ones).
    public let frames: Int
    /// L: frames per lane, the steps of the kernel.
    public let runLength: Int
    /// runLength · laneCount: the frames with padding.
    public let paddedFrames: Int
    /// b: runLength × K × laneCount (see above), zeros for padding.
    let columns: AlignedBuffer
    /// Σ_k b_k(t)² per frame, in step order (0 for padding).
    let energy: AlignedBuffer
    /// 1 / max(Σ_k b_k(t)², 1e-6 · max_t Σ_k b_k(t)²), in step order (0 for padding).
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
        frames = rows.count
        runLength = (rows.count + laneCount - 1) / laneCount
        paddedFrames = runLength * laneCount
        columns = AlignedBuffer(count: K * paddedFrames)
        energy = AlignedBuffer(count: paddedFrames)
        inverseDenominator = AlignedBuffer(count: paddedFrames)
        var e = [Double](repeating: 0, count: rows.count)
        for (t, row) in rows.enumerated() {
            var s = 0.0
            let slot = Self.slot(frame: t, runLength: runLength)
            for k in 0..<K {
                let v = amplitudes[row * K + k]
                columns[Self.index(slot: slot, harmonic: k, harmonics: K)] = v
                s += v * v
            }
            e[t] = s
        }
        let floor = max(e.max() ?? 0, 1e-300) * AnalysisSettings.denominatorFloor
        for t in 0..<rows.count {
            let slot = Self.slot(frame: t, runLength: runLength)
            energy[slot] = e[t]
            inverseDenominator[slot] = 1 / max(e[t], floor)
        }
    }

    /// Where frame t is fitted: step t mod L, lane t div L; its slot is step · laneCount + lane.
    @inline(__always)
    static func slot(frame t: Int, runLength L: Int) -> Int { (t % L) * laneCount + t / L }

    /// Where b_k of the frame in `slot` is stored.
    @inline(__always)
    static func index(slot: Int, harmonic k: Int, harmonics K: Int) -> Int {
        (slot / laneCount * K + k) * laneCount + slot % laneCount
    }

    /// b_k(t) of frame t (k zero-based).
    public func amplitude(frame t: Int, harmonic k: Int) -> Double {
        columns[Self.index(slot: Self.slot(frame: t, runLength: runLength), harmonic: k, harmonics: harmonics)]
    }
}
