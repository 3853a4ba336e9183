import FMSynthesis

/// Which topologies a run may use (`--topology`).
public enum TopologyChoice: String, Sendable, Codable, CaseIterable {
    case parallel, cascade, any
}

/// The ranges of every gene.
public struct SearchSpace: Sendable, Equatable, Codable {
    /// Carrier ratios c (integer multiples of f0).
    public var carrier: ClosedRange<Int>
    /// Modulator ratios m1, m2.
    public var modulator: ClosedRange<Int>
    /// Modulation indices I1, I2 (rad).
    public var index: ClosedRange<Double>
    public var topology: TopologyChoice
    /// nil: ratios are integer multiples of f0 (harmonic tones). Else the inharmonic mode: ratios
    /// are grid values, ratio = n / grid.steps, and `carrier`, `modulator` are ranges of n.
    public var ratioGrid: RatioGrid?
    /// The inharmonic mode's dynamic FM: units carry an index decay (FMUnit.decay); nil or false:
    /// static indices.
    public var indexDecay: Bool?

    public init(carrier: ClosedRange<Int> = 1...16, modulator: ClosedRange<Int> = 1...16,
                index: ClosedRange<Double> = 0...8, topology: TopologyChoice = .any, ratioGrid: RatioGrid? = nil) {
        self.carrier = carrier
        self.modulator = modulator
        self.index = index
        self.topology = topology
        self.ratioGrid = ratioGrid
    }

    /// The inharmonic mode's space for partials up to `topRatio` × f0: carriers from 0.1 to
    /// `topRatio`, modulators from 0.05 to min(`topRatio`, 32), on `grid`.
    public static func inharmonic(topRatio: Double, grid: RatioGrid = .fine, topology: TopologyChoice = .any) -> SearchSpace {
        let top = max(topRatio, 1)
        return SearchSpace(carrier: Int(grid.nearest(0.1))...Int(grid.nearest(top)),
                           modulator: Int(grid.nearest(0.05))...Int(grid.nearest(min(top, 32))),
                           topology: topology, ratioGrid: grid)
    }

    /// The defaults for a target with K harmonics: carriers up to min(K, 16).
    public static func standard(harmonics K: Int, topology: TopologyChoice = .any) -> SearchSpace {
        SearchSpace(carrier: 1...max(1, min(K, 16)), topology: topology)
    }

    func clampRatio(_ v: Int, _ r: ClosedRange<Int>) -> Int32 { Int32(min(max(v, r.lowerBound), r.upperBound)) }
    func clampIndex(_ v: Double) -> Double { min(max(v, index.lowerBound), index.upperBound) }

    /// Puts a unit back inside the space.
    func clamp(_ u: FMUnit) -> FMUnit {
        var u = u
        u.carrier = clampRatio(Int(u.carrier), carrier)
        u.modulator1 = clampRatio(Int(u.modulator1), modulator)
        u.modulator2 = clampRatio(Int(u.modulator2), modulator)
        u.index1 = clampIndex(u.index1)
        u.index2 = clampIndex(u.index2)
        switch topology {
        case .parallel: u.topology = .parallel
        case .cascade: u.topology = .cascade
        case .any: break
        }
        return u
    }

    func randomTopology(_ rng: inout Xoshiro256) -> Topology {
        switch topology {
        case .parallel: return .parallel
        case .cascade: return .cascade
        case .any: return rng.chance(0.5) ? .parallel : .cascade
        }
    }
}
