import FMSynthesis

/// What the GA asks of a fitness: one genome's error, abandoned (+∞) once it is certain to exceed
/// `bound`. One scorer per thread; it allocates nothing per call. FitnessEvaluator (harmonic
/// tracks, Horner's error) and BandFitnessEvaluator (semitone bands, the inharmonic mode) are the two.
public protocol GenomeScorer: AnyObject, Sendable {
    func evaluate(_ genome: UnsafeBufferPointer<FMUnit>, bound: Double) -> Double
}

extension GenomeScorer {
    /// One genome given as an array (outside the hot path).
    public func evaluate(_ genome: [FMUnit], bound: Double = .infinity) -> Double {
        genome.withUnsafeBufferPointer { evaluate($0, bound: bound) }
    }
}

extension FitnessEvaluator: GenomeScorer {}
