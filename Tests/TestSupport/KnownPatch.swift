import FMSynthesis

/// The known 2-carrier double-modulator patch of the known-answer tests: one parallel unit and
/// one cascade unit.
public enum KnownPatch {
    public static let units = [
        FMUnit(carrier: 1, modulator1: 2, modulator2: 3, index1: 1.3, index2: 0.6, topology: .parallel),
        FMUnit(carrier: 3, modulator1: 1, modulator2: 4, index1: 0.9, index2: 1.7, topology: .cascade),
    ]
    /// Peak amplitude of each unit's envelope.
    public static let peaks = [0.4, 0.3]
}
