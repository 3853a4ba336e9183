/// A playable patch: units at ratios of f0, each with its amplitude envelope.
public struct Patch: Sendable, Equatable {
    public var f0: Double
    public var units: [FMUnit]
    public var envelopes: [Envelope]

    public init(f0: Double, units: [FMUnit], envelopes: [Envelope]) {
        precondition(units.count == envelopes.count, "one envelope per unit")
        self.f0 = f0
        self.units = units
        self.envelopes = envelopes
    }
}
