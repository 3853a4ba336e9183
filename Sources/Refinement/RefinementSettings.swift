/// The refinement stage's constants (README, "Dynamic FM"). Weights are per frame pair and
/// share the error's 1/T scale, so a term of 1 weighs as much as a frame of error 1.
public struct RefinementSettings: Sendable, Equatable, Codable {
    /// μ_a: weight of Σ_{t,j} (a_j(t+1) − a_j(t))² / (max(D_t, D_{t+1}) ρ_j²) — a unit's amplitude
    /// jump measured against the louder frame's norm and the unit's own peak share ρ_j (a jump of
    /// 30 % of the unit's peak costs 0.09·μ_a).
    public var amplitudeSmoothness: Double
    /// μ_I: weight of Σ_{t,j,m} (I_jm(t+1) − I_jm(t))² in rad² (a 0.3 rad jump costs 0.09·μ_I).
    public var indexSmoothness: Double
    /// θ: a curve's change between adjacent frames of the recording's steady part
    /// (RefinementTarget.steadyPairs) beyond this fraction of the curve's peak is a jump...
    public var jumpLimit: Double
    /// μ_h: ...and costs μ_h·(|Δ|/P − θ)² per pair (P the curve's peak at the leg's start), for
    /// every amplitude and index curve: a hinge that leaves smaller changes free and makes a jump
    /// of θ + 0.1 cost μ_h/100 (README, "Dynamic FM"). 0 turns it off (runs made before it).
    public var jumpWeight: Double
    /// The amplitude variables are envelope breakpoints seen through the analysis window
    /// (MeasuredAmplitudes.swift); false: frame amplitudes, deconvolved for export (runs
    /// stored before it).
    public var windowedAmplitudes: Bool
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

    public init(amplitudeSmoothness: Double = 0.1, indexSmoothness: Double = 0.01, jumpLimit: Double = 0.2,
                jumpWeight: Double = 100, windowedAmplitudes: Bool = true, maxIndex: Double = 8,
                maxAmplitude: Double = 20, knotTolerance: Double = 0.05, evaluationsPerLeg: Int = 50,
                freeLegs: Int = 40, knotLegs: Int = 20, legTolerance: Double = 1e-3) {
        self.amplitudeSmoothness = amplitudeSmoothness; self.indexSmoothness = indexSmoothness
        self.jumpLimit = jumpLimit; self.jumpWeight = jumpWeight; self.windowedAmplitudes = windowedAmplitudes
        self.maxIndex = maxIndex; self.maxAmplitude = maxAmplitude; self.knotTolerance = knotTolerance
        self.evaluationsPerLeg = evaluationsPerLeg; self.freeLegs = freeLegs; self.knotLegs = knotLegs
        self.legTolerance = legTolerance
    }

    public static let standard = RefinementSettings()

    /// Runs stored before the jump term and the windowed amplitudes resume without them.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        amplitudeSmoothness = try c.decode(Double.self, forKey: .amplitudeSmoothness)
        indexSmoothness = try c.decode(Double.self, forKey: .indexSmoothness)
        jumpLimit = try c.decodeIfPresent(Double.self, forKey: .jumpLimit) ?? 0.2
        jumpWeight = try c.decodeIfPresent(Double.self, forKey: .jumpWeight) ?? 0
        windowedAmplitudes = try c.decodeIfPresent(Bool.self, forKey: .windowedAmplitudes) ?? false
        maxIndex = try c.decode(Double.self, forKey: .maxIndex)
        maxAmplitude = try c.decode(Double.self, forKey: .maxAmplitude)
        knotTolerance = try c.decode(Double.self, forKey: .knotTolerance)
        evaluationsPerLeg = try c.decode(Int.self, forKey: .evaluationsPerLeg)
        freeLegs = try c.decode(Int.self, forKey: .freeLegs)
        knotLegs = try c.decode(Int.self, forKey: .knotLegs)
        legTolerance = try c.decode(Double.self, forKey: .legTolerance)
    }
}
