import CNLopt

/// Minimisation under bounds lo ≤ x ≤ hi with exact gradients: NLopt's limited-memory BFGS
/// (NLOPT_LD_LBFGS, L. Lukšan's implementation of Nocedal's L-BFGS with simple bounds; Nocedal,
/// "Updating quasi-Newton matrices with limited storage", Math. Comp. 35, 1980).
///
/// One call is one *leg* of at most `maxEvaluations` evaluations from `x`: the quasi-Newton
/// memory starts empty, so a leg's result depends on `x` alone — a caller that stores x between
/// legs can resume a long minimisation exactly (fmevolve checkpoints every leg). NLopt is
/// deterministic: the same x and the same objective give the same path.
public enum BoundedLBFGS {
    public struct Result: Sendable {
        /// The objective at the returned x (the best NLopt saw).
        public var value: Double
        public var evaluations: Int
        /// Why the leg ended (NLopt's result code, as text).
        public var reason: String
    }

    /// The objective: writes the gradient at x into `gradient` and returns the value.
    public typealias Objective = (_ x: UnsafePointer<Double>, _ gradient: UnsafeMutablePointer<Double>) -> Double

    /// Minimises from `x` (moved into the bounds first) and leaves the best point in `x`.
    /// `relativeTolerance`: stop when a step changes the objective by less than this fraction;
    /// `memory`: the number of correction pairs L-BFGS keeps.
    public static func minimize(_ x: inout [Double], lower: [Double], upper: [Double], maxEvaluations: Int,
                                relativeTolerance: Double = 1e-10, memory: Int = 10,
                                objective: @escaping Objective) -> Result {
        let n = x.count
        precondition(lower.count == n && upper.count == n && n > 0)
        for i in 0..<n { x[i] = min(max(x[i], lower[i]), upper[i]) }
        guard let opt = nlopt_create(NLOPT_LD_LBFGS, UInt32(n)) else { return Result(value: .nan, evaluations: 0, reason: "out of memory") }
        defer { nlopt_destroy(opt) }
        let box = Box(objective)
        let data = Unmanaged.passUnretained(box).toOpaque()
        _ = lower.withUnsafeBufferPointer { nlopt_set_lower_bounds(opt, $0.baseAddress) }
        _ = upper.withUnsafeBufferPointer { nlopt_set_upper_bounds(opt, $0.baseAddress) }
        nlopt_set_min_objective(opt, { _, x, gradient, data in
            let box = Unmanaged<Box>.fromOpaque(data!).takeUnretainedValue()
            box.evaluations += 1
            if let gradient { return box.objective(x!, gradient) }
            let g = UnsafeMutablePointer<Double>.allocate(capacity: box.dimension)   // value-only calls (rare)
            defer { g.deallocate() }
            return box.objective(x!, g)
        }, data)
        box.dimension = n
        nlopt_set_maxeval(opt, Int32(maxEvaluations))
        nlopt_set_ftol_rel(opt, relativeTolerance)
        nlopt_set_vector_storage(opt, UInt32(memory))
        var value = Double.nan
        let code = withExtendedLifetime(box) { x.withUnsafeMutableBufferPointer { nlopt_optimize(opt, $0.baseAddress, &value) } }
        return Result(value: value, evaluations: box.evaluations, reason: describe(code))
    }

    private final class Box {
        let objective: Objective
        var evaluations = 0
        var dimension = 0
        init(_ objective: @escaping Objective) { self.objective = objective }
    }

    static func describe(_ code: nlopt_result) -> String {
        switch code {
        case NLOPT_SUCCESS: "success"
        case NLOPT_STOPVAL_REACHED: "stop value reached"
        case NLOPT_FTOL_REACHED: "converged (objective)"
        case NLOPT_XTOL_REACHED: "converged (parameters)"
        case NLOPT_MAXEVAL_REACHED: "evaluation limit"
        case NLOPT_MAXTIME_REACHED: "time limit"
        case NLOPT_ROUNDOFF_LIMITED: "round-off limited"
        case NLOPT_FORCED_STOP: "forced stop"
        case NLOPT_OUT_OF_MEMORY: "out of memory"
        case NLOPT_INVALID_ARGS: "invalid arguments"
        default: "failure"
        }
    }
}
