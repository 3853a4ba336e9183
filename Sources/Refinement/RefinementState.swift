/// Where the refinement stage is: everything needed to continue it exactly (checkpointed after
/// every leg; see Refiner).
public struct RefinementState: Sendable, Equatable {
    public enum Phase: UInt8, Sendable, CustomStringConvertible {
        /// Index curves free frame by frame (a knot at every frame).
        case free = 0
        /// Index curves on the simplified breakpoints.
        case knots = 1
        case done = 2

        public var description: String {
            switch self {
            case .free: "free indices"
            case .knots: "breakpoints"
            case .done: "done"
            }
        }
    }

    public var phase: Phase
    /// Legs run in this phase.
    public var legs: Int
    /// Legs run in all.
    public var totalLegs: Int
    /// Objective evaluations in all.
    public var evaluations: Int
    /// The variables: amplitudes (unit-major, relative to the frame norm), then knot values.
    public var x: [Double]
    public var knots: IndexKnots
    /// Objective (error + smoothness) at x.
    public var objective: Double
    /// Horner's error at x.
    public var err: Double
    /// Horner's error of the static start.
    public var staticErr: Double

    public init(phase: Phase, legs: Int, totalLegs: Int, evaluations: Int, x: [Double], knots: IndexKnots,
                objective: Double, err: Double, staticErr: Double) {
        self.phase = phase; self.legs = legs; self.totalLegs = totalLegs; self.evaluations = evaluations
        self.x = x; self.knots = knots; self.objective = objective; self.err = err; self.staticErr = staticErr
    }
}
