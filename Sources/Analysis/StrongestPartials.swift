#if canImport(Glibc)
import Glibc
#endif

/// The strongest partials of a note, harmonic or not: the local maxima of its long-term spectrum
/// within `rangeDB` of the largest, strongest first, each refined by Harmonicity's parabola.
/// Where the inharmonic mode starts its carriers and modulators (issue 14). The spectrum is
/// `activeShare` — each frame's power spectrum over its total, summed — so that the partials of
/// a struck sound's brief attack count as the band error counts them, beside its long hum.
extension BandSpectrum {
    public struct Peak: Sendable, Equatable {
        public var hz: Double
        /// Σ P of the peak's bin over the active frames (relative units).
        public var power: Double
    }

    public func strongestPartials(count: Int = 12, rangeDB: Double = 40) -> [Peak] {
        let P = activeShare, df = binHz
        let lo = max(1, Int((Self.lowestHz / df).rounded(.up)))
        let hi = min(P.count - 1, (bands.last?.upperBound ?? 0))
        guard hi - lo >= 2 else { return [] }
        let peaks = (lo..<hi).filter { j in P[j] > 0 && P[j] > P[j - 1] && P[j] >= P[j + 1] }
        guard let strongest = peaks.map({ P[$0] }).max() else { return [] }
        let floor = strongest * pow(10, -rangeDB / 10)
        return peaks.filter { P[$0] >= floor }.sorted { P[$0] > P[$1] }.prefix(count).map { j in
            let p = Harmonicity.peak(P, j)
            return Peak(hz: p.bin * df, power: exp(p.logPower))
        }
    }
}
