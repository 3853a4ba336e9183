/// A unit's modulation indices moving in time (dynamic FM): I1(t) and I2(t), piecewise-linear
/// breakpoints (time s, radians), held before the first and after the last breakpoint — the
/// same law as amplitude envelopes. A modulator operator's envelope in a synth *is* such an
/// index envelope (the DX7's operator EG scales the modulator's output, which is the index).
public struct IndexEnvelopes: Sendable, Equatable {
    /// I1(t) (rad).
    public var index1: Envelope
    /// I2(t) (rad).
    public var index2: Envelope

    public init(index1: Envelope, index2: Envelope) {
        self.index1 = index1
        self.index2 = index2
    }

    /// Constant indices: what a static unit plays.
    public static func constant(_ unit: FMUnit) -> IndexEnvelopes {
        IndexEnvelopes(index1: Envelope(times: [0], values: [unit.index1]),
                       index2: Envelope(times: [0], values: [unit.index2]))
    }

    /// The largest index either envelope reaches (rad).
    public var peak: Double { max(index1.peak, index2.peak) }

    /// The unit with its indices at time t (s).
    public func unit(_ u: FMUnit, at t: Double) -> FMUnit {
        var v = u
        v.index1 = index1.value(at: t)
        v.index2 = index2.value(at: t)
        return v
    }
}
