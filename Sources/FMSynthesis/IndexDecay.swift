#if canImport(Glibc)
import Glibc
#endif

/// Indices that decay through the note, as a struck sound's do (Chowning 1973: a bell's index
/// envelope follows its amplitude, so its upper partials die first): unit j's indices are
///   I_jk(t) = I_jk · r_j^(t/D),   t from the start, D the note's length,
/// with r_j ∈ (0, 1] the ratio of its end index to its start (1: static). The inharmonic mode's
/// dynamic FM (issue 14); the patch plays it as index envelopes (`envelopes(_:)`).
public struct IndexDecay: Sendable, Equatable {
    /// r_j per unit.
    public var endRatios: [Double]
    public var duration: Double
    /// Times (s) at which the fitness computes the units' spectra, interpolating between them:
    /// 16 knots, so that with r = 0.1 a step changes the indices by at most 14 %.
    public let knotTimes: [Double]
    public static let knotCount = 16

    public init(endRatios: [Double], duration: Double) {
        self.endRatios = endRatios
        self.duration = duration
        knotTimes = (0..<Self.knotCount).map { duration * Double($0) / Double(Self.knotCount - 1) }
    }

    /// The scale r_j^(t/D) of unit j's indices at time t (held after D).
    public func scale(_ j: Int, at t: Double) -> Double {
        pow(endRatios[j], min(max(t, 0), duration) / max(duration, 1e-9))
    }

    public func unit(_ u: FMUnit, _ j: Int, at t: Double) -> FMUnit {
        var u = u
        let s = scale(j, at: t)
        u.index1 *= s; u.index2 *= s
        return u
    }

    /// The knot before `time` and the weight of the next.
    public func bracket(_ time: Double) -> (Int, Double) {
        let K = knotTimes.count
        guard K > 1, duration > 0 else { return (0, 0) }
        let x = min(max(time / duration, 0), 1) * Double(K - 1)
        let k = min(Int(x), K - 2)
        return (k, x - Double(k))
    }

    /// Unit j's index envelopes: the decay sampled at the knot times (linear between them).
    public func envelopes(_ u: FMUnit, _ j: Int) -> IndexEnvelopes {
        IndexEnvelopes(index1: Envelope(times: knotTimes, values: knotTimes.map { u.index1 * scale(j, at: $0) }),
                       index2: Envelope(times: knotTimes, values: knotTimes.map { u.index2 * scale(j, at: $0) }))
    }
}
