import Fitness
import FMSynthesis
#if canImport(Glibc)
import Glibc
#endif

/// The inharmonic mode's refinement (issue 14): the search's static champion given decaying
/// indices (IndexDecay) — per unit its start indices I1, I2 and its end ratio r — by a compass
/// pattern search (Hooke & Jeeves 1961) on the band error of the decaying units
/// (BandFitnessEvaluator.amplitudes(_:decay:)), from the champion's own decays (FMUnit.decay;
/// r = 1 where it has none). The result's units carry no decay level: `decay` holds it. Each round
/// tries every parameter ± its step (indices in rad, r in steps of its logarithm) and keeps the
/// best improvement; a round without one halves the steps, until they are below
/// `minimumStep`·initial or `budget` evaluations are spent. Deterministic: trials in a fixed order,
/// ties to the earlier. Cost: about 2 ms per evaluation for 3 units (16 knot spectra per unit).
public struct IndexDecayFit {
    public struct Result: Sendable {
        public var units: [FMUnit]
        public var decay: IndexDecay
        public var err: Double
        public var evaluations: Int
    }

    public static let indexStep = 0.5, logRatioStep = 0.7, minimumStep = 1.0 / 64
    /// The end ratios a fit may reach: a hundredfold decay at most, no growth.
    public static let ratioRange: ClosedRange<Double> = 0.01...1

    public let evaluator: BandFitnessEvaluator
    public let maxIndex: Double

    public init(evaluator: BandFitnessEvaluator, maxIndex: Double) {
        self.evaluator = evaluator
        self.maxIndex = maxIndex
    }

    public func fit(_ genome: [FMUnit], budget: Int = 1500) -> Result {
        let n = genome.count, duration = evaluator.target.duration
        // parameters: I1, I2, log r per unit
        // from the genome's own decays (FMUnit.decay, the search's), static where it has none
        var x = genome.flatMap { [$0.index1, $0.index2, log($0.endRatio)] }
        func make(_ x: [Double]) -> ([FMUnit], IndexDecay) {
            var units = genome
            for j in 0..<n { units[j].index1 = x[3 * j]; units[j].index2 = x[3 * j + 1]; units[j].decay = 0 }
            return (units, IndexDecay(endRatios: (0..<n).map { exp(x[3 * $0 + 2]) }, duration: duration))
        }
        func err(_ x: [Double]) -> Double {
            let (units, decay) = make(x)
            return evaluator.amplitudes(units, decay: decay).err
        }
        var best = err(x), used = 1
        var scale = 1.0
        let logLow = log(Self.ratioRange.lowerBound), logHigh = log(Self.ratioRange.upperBound)
        while scale >= Self.minimumStep && used + 6 * n <= budget {
            var bestTrial: [Double]?, bestTrialErr = best
            for i in 0..<(3 * n) {
                let isRatio = i % 3 == 2
                let step = scale * (isRatio ? Self.logRatioStep : Self.indexStep)
                for sign in [-1.0, 1.0] {
                    var y = x
                    y[i] = isRatio ? min(max(y[i] + sign * step, logLow), logHigh) : min(max(y[i] + sign * step, 0), maxIndex)
                    if y[i] == x[i] { continue }
                    let e = err(y)
                    used += 1
                    if e < bestTrialErr { bestTrialErr = e; bestTrial = y }
                }
            }
            if let y = bestTrial { x = y; best = bestTrialErr } else { scale *= 0.5 }
        }
        let (units, decay) = make(x)
        return Result(units: units, decay: decay, err: best, evaluations: used)
    }
}
