import Analysis
import Fitness
import FMSynthesis
import Optimizer

/// The refinement stage after the GA (README, "Dynamic FM"): keeps the champion's structure
/// (ratios, topologies) and fits index envelopes I1_j(t), I2_j(t) jointly with the amplitude
/// envelopes a_j(t), minimising RefinementObjective (Horner's error plus smoothness) with
/// bounded L-BFGS and exact gradients.
///
/// 1. Start: the static solution — the champion's fixed indices and the per-frame NNLS
///    amplitudes of the fitness (so the stage starts from exactly what the GA found).
/// 2. Free phase: the index curves have a knot at every frame; legs of L-BFGS until a leg gains
///    less than `legTolerance` or `freeLegs` legs have run.
/// 3. Simplify: each curve becomes breakpoints within `knotTolerance` rad (Ramer–Douglas–Peucker).
/// 4. Knot phase: the breakpoint values and the amplitudes are refitted together, as in 2.
/// Each leg fixes the jump term's peaks from its starting x (JumpPenalty.swift).
/// Each leg starts L-BFGS afresh from the stored x (BoundedLBFGS), so a run resumed from any
/// checkpointed leg takes exactly the path of an uninterrupted one.
public final class Refiner: @unchecked Sendable {
    public let target: RefinementTarget
    let analysis: TargetAnalysis
    public let units: [FMUnit]
    public let settings: RefinementSettings
    let threads: Int
    let fit: FitSettings
    private var objective: RefinementObjective?
    /// ρ_j of the amplitude smoothness term (RefinementObjective), from the static fit.
    private lazy var unitScale: [Double] = {
        let F = target.frames
        let x = staticAmplitudes()
        return (0..<N).map { j in max((0..<F).reduce(0.0) { max($0, x[j * F + $1]) }, 0.05) }
    }()

    public init(analysis: TargetAnalysis, units: [FMUnit], settings: RefinementSettings = .standard, threads: Int = 1,
                fit: FitSettings = .standard) {
        target = RefinementTarget(analysis: analysis)
        self.analysis = analysis
        self.fit = fit
        self.units = units
        var s = settings
        s.maxIndex = max(settings.maxIndex, units.reduce(0) { max($0, $1.index1, $1.index2) })
        self.settings = s
        self.threads = threads
    }

    var N: Int { units.count }

    /// The static solution: fixed indices, per-frame NNLS amplitudes (FitSettings as the GA's,
    /// with the cold starts on every frame, as Champion fits its envelopes).
    public func start() -> RefinementState {
        let F = target.frames
        var x = staticAmplitudes()
        let knots = IndexKnots.everyFrame(units: N, frames: F)
        for u in units {
            x += [Double](repeating: u.index1, count: F)
            x += [Double](repeating: u.index2, count: F)
        }
        let f = problem(knots)
        f.anchorPeaks(x)
        let err = f.error(x)
        return RefinementState(phase: .free, legs: 0, totalLegs: 0, evaluations: 0, x: x, knots: knots,
                               objective: value(f, x), err: err, staticErr: err)
    }

    /// The static fit's variables, unit-major: with windowed amplitudes the breakpoints y_j(s)
    /// the static champion's patch plays (its per-frame NNLS amplitudes over every frame,
    /// deconvolved as Champion does, over √D_s), else the span's frame amplitudes x_j(t) (b̂ has
    /// unit norm, so they are relative).
    private func staticAmplitudes() -> [Double] { staticStart.start }

    /// The fixed breakpoints outside the span as they add to each unit's span frames (N × F).
    private var offsets: [Double] { staticStart.offsets }

    private lazy var staticStart: (start: [Double], offsets: [Double]) = {
        let F = target.frames, first = target.first
        var x = [Double](repeating: 0, count: N * F), o = x
        let thorough = FitSettings(signRefits: fit.signRefits, negativeStart: fit.negativeStart, coldStartInterval: 1)
        guard settings.windowedAmplitudes else {
            let evaluator = FitnessEvaluator(target: FitnessTarget(amplitudes: targetAmplitudes, harmonics: target.harmonics,
                                                                   rows: Array(0..<F)),
                                             carriers: N, maxIndex: settings.maxIndex, settings: thorough)
            let (a, _) = evaluator.amplitudes(units)
            for t in 0..<F { for j in 0..<N { x[j * F + t] = a[t * N + j] } }
            return (x, o)
        }
        let T = analysis.frameCount
        let evaluator = FitnessEvaluator(target: FitnessTarget.allFrames(analysis), carriers: N, maxIndex: settings.maxIndex,
                                         settings: thorough)
        let (a, _) = evaluator.amplitudes(units)
        let C = target.deconvolution, omega = EnvelopeDeconvolution.weights(analysis)
        let root = target.rootDenominator
        for j in 0..<N {
            let e = C.solve((0..<T).map { a[$0 * N + j] }, weights: omega)
            for t in 0..<F {
                x[j * F + t] = e[first + t] / root[t]
                let (c0, cw) = C.row(first + t)
                for (i, w) in cw.enumerated() where c0 + i < first || c0 + i >= first + F { o[j * F + t] += w * e[c0 + i] / root[t] }
            }
        }
        return (x, o)
    }()

    /// b̂ as frame-major rows (what FitnessTarget takes).
    private var targetAmplitudes: [Double] { target.normalised }

    /// One leg of the current phase, or the step to the next phase. Returns false once done.
    @discardableResult
    public func step(_ s: inout RefinementState) -> Bool {
        switch s.phase {
        case .done: return false
        case .free, .knots:
            let f = problem(s.knots)
            f.anchorPeaks(s.x)                             // the jump term's P for this leg
            let before = value(f, s.x)
            s.objective = before
            let (lower, upper) = bounds(s.knots)
            var x = s.x
            let result = BoundedLBFGS.minimize(&x, lower: lower, upper: upper, maxEvaluations: settings.evaluationsPerLeg,
                                               objective: f.evaluate)
            s.evaluations += result.evaluations
            s.legs += 1
            s.totalLegs += 1
            let after = value(f, x)
            if after <= before {                           // NLopt returns its best point; keep ours if not better
                s.x = x
                s.objective = after
                s.err = f.error(x)
            }
            let gain = (before - s.objective) / max(abs(before), 1e-300)
            let limit = s.phase == .free ? settings.freeLegs : settings.knotLegs
            if gain < settings.legTolerance || s.legs >= limit { advance(&s, f) }
            return s.phase != .done
        }
    }

    /// Free → knots (simplifying the curves), knots → done.
    private func advance(_ s: inout RefinementState, _ f: RefinementObjective) {
        if s.phase == .knots { s.phase = .done; return }
        simplify(&s)
    }

    /// Free per-frame curves → breakpoints within `knotTolerance` (the knot phase starts).
    func simplify(_ s: inout RefinementState) {
        precondition(s.phase == .free)
        let f = problem(s.knots)
        let F = target.frames
        s.x.withUnsafeBufferPointer { f.expandIndices($0.baseAddress! + N * F) }
        let curves = f.frameIndices
        var knots = [[Int]](), values = [Double]()
        for c in 0..<(2 * N) {
            let curve = Array(curves[(c * F)..<((c + 1) * F)])
            let k = IndexKnots.simplify(curve, tolerance: settings.knotTolerance)
            knots.append(k)
            values += k.map { curve[$0] }
        }
        let simplified = IndexKnots(curves: knots)
        s.x = Array(s.x[0..<(N * F)]) + values
        s.knots = simplified
        s.phase = .knots
        s.legs = 0
        let g = problem(simplified)
        g.anchorPeaks(s.x)
        s.objective = value(g, s.x)
        s.err = g.error(s.x)
    }

    private func problem(_ knots: IndexKnots) -> RefinementObjective {
        if let o = objective, o.knots == knots { return o }
        let o = RefinementObjective(target: target, units: units, knots: knots, settings: settings, threads: threads,
                                    unitScale: unitScale, offsets: offsets)
        objective = o
        return o
    }

    private func value(_ f: RefinementObjective, _ x: [Double]) -> Double {
        var g = [Double](repeating: 0, count: x.count)
        return x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { f.evaluate(xp.baseAddress!, $0.baseAddress!) } }
    }

    private func bounds(_ knots: IndexKnots) -> ([Double], [Double]) {
        let na = N * target.frames
        return ([Double](repeating: 0, count: na + knots.count),
                [Double](repeating: settings.maxAmplitude, count: na) + [Double](repeating: settings.maxIndex, count: knots.count))
    }

    /// The fitted envelopes at state s: amplitudes a_j(t) = √D_t·x_j(t) of every span frame
    /// (frame-major, F × N) and each unit's index envelopes (breakpoints at their knots' frame times).
    public func result(_ s: RefinementState) -> RefinedFit {
        let F = target.frames
        var a = [Double](repeating: 0, count: F * N)
        for t in 0..<F { for j in 0..<N { a[t * N + j] = s.x[j * F + t] * target.rootDenominator[t] } }
        let offsets = s.knots.offsets
        let envelopes = (0..<N).map { j in
            IndexEnvelopes(index1: curve(s, 2 * j, offsets), index2: curve(s, 2 * j + 1, offsets))
        }
        return RefinedFit(first: target.first, frames: F, amplitudes: a, breakpoints: settings.windowedAmplitudes,
                          indexEnvelopes: envelopes, err: s.err, staticErr: s.staticErr)
    }

    private func curve(_ s: RefinementState, _ c: Int, _ offsets: [Int]) -> Envelope {
        let knots = s.knots.curves[c], base = N * target.frames + offsets[c]
        return Envelope(times: knots.map { target.times[$0] }, values: knots.indices.map { s.x[base + $0] })
    }
}

/// The refinement's result, ready for a patch.
public struct RefinedFit: Sendable {
    /// Analysis frame of the first span frame, and the span's length.
    public var first: Int
    public var frames: Int
    /// a_j(t), frame-major (frames × units), in the target's amplitude units.
    public var amplitudes: [Double]
    /// `amplitudes` are the envelope's breakpoints at the frames' centres, to be played as they
    /// are; false: they are frame amplitudes, to be deconvolved (EnvelopeDeconvolution).
    public var breakpoints: Bool
    public var indexEnvelopes: [IndexEnvelopes]
    public var err: Double
    public var staticErr: Double
}
