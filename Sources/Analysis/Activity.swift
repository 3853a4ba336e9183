#if canImport(Glibc)
import Glibc
#endif

/// Moving RMS and note onset/offset (fmscore.py `moving_rms`, `onset_offset`).
public enum Activity {
    /// Standard deviation (RMS about the local mean) of every `length`-sample window of `x`.
    /// Removing each window's mean makes onsets immune to DC offsets.
    public static func movingRMS(_ x: [Double], length: Int) -> [Double] {
        let len = max(1, min(length, x.count))
        var c1 = [Double](repeating: 0, count: x.count + 1)
        var c2 = [Double](repeating: 0, count: x.count + 1)
        for i in 0..<x.count {
            c1[i + 1] = c1[i] + x[i]
            c2[i + 1] = c2[i] + x[i] * x[i]
        }
        let inv = 1.0 / Double(len)
        return (0..<(x.count - len + 1)).map { s in
            let m2 = (c2[s + len] - c2[s]) * inv
            let m1 = (c1[s + len] - c1[s]) * inv
            return max(m2 - m1 * m1, 0).squareRoot()
        }
    }

    /// First and last window start whose 10 ms RMS is within `db` of its peak, in samples.
    /// The signal is extended by its edge values so that a note starting at sample 0 has
    /// onset ≤ 0 (the detection is shift-equivariant).
    public static func onsetOffset(_ x: [Double], sampleRate: Int,
                                   db: Double = AnalysisSettings.onsetDB) -> (onset: Int, offset: Int) {
        let L = max(1, roundHalfEven(AnalysisSettings.onsetWindowSeconds * Double(sampleRate)))
        guard let first = x.first, let last = x.last else { return (0, 0) }
        let padded = [Double](repeating: first, count: L) + x + [Double](repeating: last, count: L)
        let r = movingRMS(padded, length: L)
        let peak = r.max() ?? 0
        guard peak > 0 else { return (0, x.count) }
        let threshold = peak * pow10(db / 20)
        let firstAbove = r.firstIndex { $0 >= threshold }!
        let lastAbove = r.lastIndex { $0 >= threshold }!
        return (firstAbove - L, lastAbove)
    }
}

@inline(__always)
func pow10(_ x: Double) -> Double {
    pow(10.0, x)
}
