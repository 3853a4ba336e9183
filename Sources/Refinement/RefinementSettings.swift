/// The refinement stage's constants (README, "Dynamic FM"). Weights are per frame pair and
/// share the error's 1/T scale, so a term of 1 weighs as much as a frame of error 1.
public struct RefinementSettings: Sendable, Equatable, Codable {
    /// μ_a: weight of Σ_{t,j} (a_j(t+1) − a_j(t))² / (max(D_t, D_{t+1}) ρ_j²) — a unit's amplitude
    /// jump measured against the louder frame's norm and the unit's own peak share ρ_j (a jump of
    /// 30 % of the unit's peak costs 0.09·μ_a).
    public var amplitudeSmoothness: Double
    /// μ_I: weight of Σ_{t,j,m} (I_jm(t+1) − I_jm(t))² in rad² (a 0.3 rad jump costs 0.09·μ_I).
    public var indexSmoothness: Double
    /// Upper bound of the modulation indices (rad): the search space's.
    public var maxIndex: Double
    /// Upper bound of a unit's amplitude relative to its frame's norm.
    public var maxAmplitude: Double
    /// Index envelopes are simplified to breakpoints within this many radians of the free
    /// curves (Ramer–Douglas–Peucker) before the second phase refits them.
    public var knotTolerance: Double
    /// Objective evaluations per leg (one checkpoint per leg).
    public var evaluationsPerLeg: Int
    /// Legs of each phase at most.
    public var freeLegs: Int
    public var knotLegs: Int
    /// A phase ends early when a leg lowers the objective by less than this fraction.
    public var legTolerance: Double

    public init(amplitudeSmoothness: Double = 1, indexSmoothness: Double = 0.1, maxIndex: Double = 8,
                maxAmplitude: Double = 20, knotTolerance: Double = 0.05, evaluationsPerLeg: Int = 50,
                freeLegs: Int = 8, knotLegs: Int = 6, legTolerance: Double = 1e-3) {
        self.amplitudeSmoothness = amplitudeSmoothness; self.indexSmoothness = indexSmoothness
        self.maxIndex = maxIndex; self.maxAmplitude = maxAmplitude; self.knotTolerance = knotTolerance
        self.evaluationsPerLeg = evaluationsPerLeg; self.freeLegs = freeLegs; self.knotLegs = knotLegs
        self.legTolerance = legTolerance
    }

    public static let standard = RefinementSettings()
}
