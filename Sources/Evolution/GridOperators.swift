import FMSynthesis
#if canImport(Glibc)
import Glibc
#endif

/// Where the inharmonic mode's new units start: the recording's partials as grid values, with
/// weights. A struck sound's partials are where carriers belong (a carrier with small indices is
/// a partial), and the spacing of two partials is where a modulator belongs (FM puts sidebands at
/// c ± k·m).
public struct GridPrior: Sendable, Equatable {
    public var carriers: [Int32]
    public var carrierWeights: [Double]
    public var modulators: [Int32]
    public var modulatorWeights: [Double]

    public init(carriers: [Int32], carrierWeights: [Double], modulators: [Int32], modulatorWeights: [Double]) {
        precondition(carriers.count == carrierWeights.count && modulators.count == modulatorWeights.count)
        self.carriers = carriers; self.carrierWeights = carrierWeights
        self.modulators = modulators; self.modulatorWeights = modulatorWeights
    }

    /// From partials (ratio to f0, power): carriers at the partials weighted by amplitude
    /// (√power), modulators at the partials and at the spacings of every pair, weighted by the
    /// weaker partial's amplitude and clustered; values outside the space's ranges are left out.
    public init(partials: [(ratio: Double, power: Double)], space: SearchSpace) {
        let grid = space.ratioGrid ?? .fine
        var c: [Int32] = [], cw: [Double] = [], m: [Int32] = [], mw: [Double] = []
        for p in partials {
            let n = grid.nearest(p.ratio), a = p.power.squareRoot()
            if space.carrier.contains(Int(n)) { c.append(n); cw.append(a) }
            if space.modulator.contains(Int(n)) { m.append(n); mw.append(a) }
        }
        for i in partials.indices {
            for j in partials.indices where j > i {
                let n = grid.nearest(abs(partials[i].ratio - partials[j].ratio))
                if space.modulator.contains(Int(n)) {
                    m.append(n); mw.append(min(partials[i].power, partials[j].power).squareRoot())
                }
            }
        }
        let (values, weights) = Self.clustered(m, mw)
        self.init(carriers: c, carrierWeights: cw, modulators: values, modulatorWeights: weights)
    }

    /// Values within `clusterWidth` (relative) of a cluster's smallest merged into one, at their
    /// weighted mean, with their weights summed: a spacing that recurs between many pairs of
    /// partials — FM's sidebands are evenly spaced — outweighs one that occurs once.
    static let clusterWidth = 0.003

    static func clustered(_ values: [Int32], _ weights: [Double]) -> ([Int32], [Double]) {
        let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        var outValues: [Int32] = [], outWeights: [Double] = []
        var start = -1.0, sum = 0.0, weighted = 0.0
        func close() {
            guard sum > 0 else { return }
            outValues.append(Int32((weighted / sum).rounded())); outWeights.append(sum)
        }
        for i in order {
            let v = Double(values[i])
            if start < 0 || v > start * (1 + clusterWidth) {
                close()
                start = v; sum = 0; weighted = 0
            }
            sum += weights[i]; weighted += weights[i] * v
        }
        close()
        return (outValues, outWeights)
    }
}

/// Variation of grid ratios (the inharmonic mode): where integer ratios step by ±1, real ratios
/// step by a factor, and new ones come from the recording's partials (GridPrior) or anywhere in
/// the range, uniformly in log ratio.
extension Operators {
    /// Relative creep steps are log-uniform between these (0.05 % … 3 % of the ratio): fine enough
    /// to tune a partial to a fraction of a band, coarse enough to move to the next one.
    static let gridCreep: ClosedRange<Double> = 0.0005...0.03
    /// Jitter of a value drawn from the prior (relative): the partials' positions are estimates.
    static let priorJitter = 0.002

    func randomGridUnit(_ grid: RatioGrid, _ rng: inout Xoshiro256) -> FMUnit {
        let c = drawGrid(space.carrier, prior: gridPrior.map { ($0.carriers, $0.carrierWeights) }, chance: 0.7, &rng)
        let m1 = drawGrid(space.modulator, prior: gridPrior.map { ($0.modulators, $0.modulatorWeights) }, chance: 0.5, &rng)
        let m2 = drawGrid(space.modulator, prior: gridPrior.map { ($0.modulators, $0.modulatorWeights) }, chance: 0.5, &rng)
        let decay: UInt8 = space.indexDecay == true && rng.chance(0.5) ? UInt8(rng.integer(1, 255)) : 0
        return FMUnit(carrier: Int(c), modulator1: Int(m1), modulator2: Int(m2), index1: randomIndex(&rng),
                      index2: randomIndex(&rng), topology: space.randomTopology(&rng), decay: decay)
    }

    /// A decay level's mutation: a redraw (`resetRate`, static half the time), else a step of
    /// ±1 … ±32 levels (1.8 % … 44 % of the end ratio), kept in 0…255.
    func mutateDecay(_ v: UInt8, _ rng: inout Xoshiro256) -> UInt8 {
        if rng.chance(resetRate) { return rng.chance(0.5) ? 0 : UInt8(rng.integer(1, 255)) }
        let step = Int(exp(rng.uniform(0, log(32))).rounded()) * (rng.chance(0.5) ? 1 : -1)
        return UInt8(min(max(Int(v) + step, 0), 255))
    }

    /// A new grid value: with probability `chance` a prior value (jittered), else log-uniform.
    func drawGrid(_ range: ClosedRange<Int>, prior: ([Int32], [Double])?, chance: Double, _ rng: inout Xoshiro256) -> Int32 {
        if let (values, weights) = prior, !values.isEmpty, rng.chance(chance) {
            let v = Double(values[rng.weighted(weights)]) * exp(Self.priorJitter * rng.normal())
            return space.clampRatio(Int(v.rounded()), range)
        }
        let lo = log(Double(range.lowerBound)), hi = log(Double(range.upperBound))
        return space.clampRatio(Int(exp(rng.uniform(lo, hi)).rounded()), range)
    }

    /// A unit's carrier moved onto one of its first sidebands, |c ± m| for either modulator:
    /// the components keep their frequencies c + k·m and the spectrum's shape moves along them.
    /// The move a bell's match needs when its strongest partials are sidebands (c = 1, m = 1.4,
    /// I = 2 has its largest partials at 0.4 and 2.4): the carrier prior puts carriers there.
    func shiftCarrier(_ u: FMUnit, _ rng: inout Xoshiro256) -> FMUnit {
        var u = u
        let m = rng.chance(0.5) ? u.modulator1 : u.modulator2
        let c = rng.chance(0.5) ? Int(u.carrier) + Int(m) : abs(Int(u.carrier) - Int(m))
        u.carrier = space.clampRatio(c, space.carrier)
        return u
    }

    /// A grid ratio's mutation: a redraw (`resetRate`), else a creep by a factor e^(σ·z), σ
    /// log-uniform in `gridCreep`, at least one grid step.
    func mutateGridRatio(_ v: Int32, _ range: ClosedRange<Int>, isCarrier: Bool, _ rng: inout Xoshiro256) -> Int32 {
        if rng.chance(resetRate) {
            let prior = isCarrier ? gridPrior.map { ($0.carriers, $0.carrierWeights) } : gridPrior.map { ($0.modulators, $0.modulatorWeights) }
            return drawGrid(range, prior: prior, chance: 0.5, &rng)
        }
        let sigma = exp(rng.uniform(log(Self.gridCreep.lowerBound), log(Self.gridCreep.upperBound)))
        var n = Int((Double(v) * exp(sigma * rng.normal())).rounded())
        if n == Int(v) { n += rng.chance(0.5) ? 1 : -1 }
        return space.clampRatio(n, range)
    }
}

/// The structure screen's dictionary on a ratio grid, where the structures cannot be listed: units
/// built from the recording's partials (GridPrior) — each of the strongest carriers `carriers`
/// with each of the strongest modulators `modulators`, the carrier also moved onto its first
/// sidebands |c − m|, c + m (a partial may be a sideband), at the indices of `indexGrid` with the
/// second modulator silent (I2 = 0: the GA gives it a use), and each carrier as a pure sine.
extension StructureScreen {
    static let gridCarriers = 8, gridModulators = 16
    static let indexGrid: [Double] = [0.3, 0.7, 1.2, 2, 3, 4.5]

    public static func gridDictionary(prior: GridPrior, space: SearchSpace) -> [FMUnit] {
        func strongest(_ values: [Int32], _ weights: [Double], _ count: Int) -> [Int] {
            var seen = Set<Int32>(), out: [Int] = []
            for i in values.indices.sorted(by: { weights[$0] > weights[$1] || (weights[$0] == weights[$1] && $0 < $1) })
            where seen.insert(values[i]).inserted && out.count < count { out.append(Int(values[i])) }
            return out
        }
        let carriers = strongest(prior.carriers, prior.carrierWeights, gridCarriers)
        let modulators = strongest(prior.modulators, prior.modulatorWeights, gridModulators)
        let topology: Topology = space.topology == .cascade ? .cascade : .parallel
        var units: [FMUnit] = [], seen = Set<FMUnit>()
        func add(_ u: FMUnit) { if seen.insert(u).inserted { units.append(u) } }
        for c in carriers {
            add(FMUnit(carrier: c, modulator1: modulators.first ?? c, modulator2: modulators.first ?? c, index1: 0, index2: 0, topology: topology))
            for m in modulators {
                for shifted in [c, abs(c - m), c + m] where space.carrier.contains(shifted) {
                    for i in indexGrid where space.index.contains(i) {
                        add(FMUnit(carrier: shifted, modulator1: m, modulator2: m, index1: i, index2: 0, topology: topology))
                    }
                }
            }
        }
        return units
    }
}
