/// A playable patch: units at ratios of f0, each with its amplitude envelope and, for dynamic
/// FM, its index envelopes.
public struct Patch: Sendable, Equatable {
    public var f0: Double
    public var units: [FMUnit]
    public var envelopes: [Envelope]
    /// Per unit: its index envelopes (dynamic FM), or nil when the unit plays its fixed indices
    /// `index1`, `index2` (Horner's static FM).
    public var indexEnvelopes: [IndexEnvelopes?]
    /// How the pitch moves about f0 (nil: held at f0 throughout).
    public var pitch: PitchCurve?
    /// nil: the units' ratios are integers (harmonics of f0). Else the inharmonic mode: ratio =
    /// value / grid.steps (RatioGrid), and the patch plays by PartialRenderer.
    public var ratioGrid: RatioGrid?

    public init(f0: Double, units: [FMUnit], envelopes: [Envelope], indexEnvelopes: [IndexEnvelopes?]? = nil,
                pitch: PitchCurve? = nil, ratioGrid: RatioGrid? = nil) {
        precondition(units.count == envelopes.count, "one envelope per unit")
        precondition(indexEnvelopes.map { $0.count == units.count } ?? true, "index envelopes per unit")
        self.f0 = f0
        self.units = units
        self.envelopes = envelopes
        self.indexEnvelopes = indexEnvelopes ?? units.map { _ in nil }
        self.pitch = pitch
        self.ratioGrid = ratioGrid
    }

    /// The ratio (multiple of f0) of a unit's ratio gene.
    public func ratio(_ n: Int32) -> Double { ratioGrid?.ratio(n) ?? Double(n) }

    /// Unit j with real ratios.
    public func realUnit(_ j: Int) -> RealRatioUnit { (ratioGrid ?? RatioGrid(steps: 1)).real(units[j]) }

    /// Whether some unit's indices move.
    public var isDynamic: Bool { indexEnvelopes.contains { $0 != nil } }

    /// Unit j's index envelopes: its own, or constant ones at its fixed indices.
    public func modulation(_ j: Int) -> IndexEnvelopes { indexEnvelopes[j] ?? .constant(units[j]) }

    /// The largest index any unit reaches (rad), at least 1.
    public var maxIndex: Double {
        (0..<units.count).reduce(1.0) { max($0, units[$1].index1, units[$1].index2, indexEnvelopes[$1]?.peak ?? 0) }
    }
}
