/// Real frequency ratios on a fine grid, so that the GA's integer genes (FMUnit) can carry them
/// (issue 14's inharmonic mode): ratio = n / steps of the reference frequency f0.
///
/// Why a grid rather than real genes: every part of the search — the genome, its niches,
/// crossover, the checkpoints — works on integer ratios, and with `steps` = 1000 the grid is finer
/// than anything audible or exportable: at f0 = 100 Hz a step is 0.1 Hz (two partials 0.1 Hz apart
/// beat once in 10 s), at ratio 1 it is 0.1 % (the DX7's fine ratio steps are 1 %). Frequencies
/// c + a·m1 + b·m2 of a unit's components are then integers too, so components that coincide are
/// found exactly (BandFitnessEvaluator).
public struct RatioGrid: Sendable, Hashable, Codable {
    /// Grid steps per f0.
    public var steps: Int32

    public init(steps: Int32 = 1000) {
        precondition(steps >= 1)
        self.steps = steps
    }

    /// The default grid of the inharmonic mode.
    public static let fine = RatioGrid(steps: 1000)

    /// The ratio (multiple of f0) of grid value n.
    @inline(__always)
    public func ratio(_ n: Int32) -> Double { Double(n) / Double(steps) }

    /// The grid value nearest to ratio r (at least 1).
    public func nearest(_ r: Double) -> Int32 { Int32(max(1, min((r * Double(steps)).rounded(), Double(Int32.max)))) }

    /// The unit with its grid ratios as real ratios.
    public func real(_ u: FMUnit) -> RealRatioUnit {
        RealRatioUnit(carrier: ratio(u.carrier), modulator1: ratio(u.modulator1), modulator2: ratio(u.modulator2),
                      index1: u.index1, index2: u.index2, topology: u.topology)
    }

    /// The grid unit nearest to a real-ratio unit.
    public func unit(_ u: RealRatioUnit) -> FMUnit {
        FMUnit(carrier: Int(nearest(u.carrier)), modulator1: Int(nearest(u.modulator1)), modulator2: Int(nearest(u.modulator2)),
               index1: u.index1, index2: u.index2, topology: u.topology)
    }
}
