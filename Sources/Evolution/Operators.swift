import FMSynthesis

/// Variation operators on genomes (N units each), kept apart from selection and the loop.
/// Genes are mixed: integer ratios, real indices, a binary topology.
public struct Operators: Sendable {
    public let space: SearchSpace
    /// Probability that a unit is touched by mutation (then each of its genes with `geneRate`).
    public var unitRate: Double
    public var geneRate: Double
    /// Gaussian step of an index mutation (rad).
    public var indexSigma: Double
    /// Probability that a touched gene is redrawn uniformly instead of stepped.
    public var resetRate: Double
    /// Weights of the carrier ratios (index 0 = space.carrier.lowerBound) for new units: the
    /// target's mean energy per harmonic, so new units start where the target has energy.
    public var carrierPrior: [Double]?
    /// The inharmonic mode's ratios to start from (the recording's partials): see GridOperators.
    public var gridPrior: GridPrior?

    public init(space: SearchSpace, carriers: Int, indexSigma: Double = 0.5, carrierPrior: [Double]? = nil,
                gridPrior: GridPrior? = nil) {
        self.space = space
        unitRate = min(1, 1.5 / Double(carriers))
        geneRate = 1.0 / 3.0
        self.indexSigma = indexSigma
        resetRate = 0.15
        self.carrierPrior = carrierPrior
        self.gridPrior = gridPrior
    }

    // MARK: new material

    public func randomUnit(_ rng: inout Xoshiro256) -> FMUnit {
        if let grid = space.ratioGrid { return randomGridUnit(grid, &rng) }
        let c: Int
        if let prior = carrierPrior, rng.chance(0.5) {
            c = space.carrier.lowerBound + rng.weighted(prior)
        } else {
            c = rng.integer(space.carrier.lowerBound, space.carrier.upperBound)
        }
        return FMUnit(carrier: c,
                      modulator1: rng.integer(space.modulator.lowerBound, space.modulator.upperBound),
                      modulator2: rng.integer(space.modulator.lowerBound, space.modulator.upperBound),
                      index1: randomIndex(&rng),
                      index2: randomIndex(&rng),
                      topology: space.randomTopology(&rng))
    }

    /// A new index: I = lo + (hi − lo)·u², u uniform — every index is possible, but small ones,
    /// which make the narrow-band spectra of most instrument tones, are drawn more often
    /// (median (hi − lo)/4).
    public func randomIndex(_ rng: inout Xoshiro256) -> Double {
        let u = rng.uniform()
        return space.index.lowerBound + (space.index.upperBound - space.index.lowerBound) * u * u
    }

    public func randomGenome(_ rng: inout Xoshiro256, into g: UnsafeMutableBufferPointer<FMUnit>) {
        for j in 0..<g.count { g[j] = randomUnit(&rng) }
        Self.canonicalize(g)
    }

    // MARK: crossover

    /// Unit-wise uniform crossover of two canonical parents: slot j comes from either parent.
    /// When both parents' units in a slot share their ratios and topology, the child's indices
    /// are a random blend of the two (arithmetic crossover on the real genes).
    public func crossover(_ a: UnsafeBufferPointer<FMUnit>, _ b: UnsafeBufferPointer<FMUnit>,
                          into child: UnsafeMutableBufferPointer<FMUnit>, _ rng: inout Xoshiro256) {
        for j in 0..<child.count {
            let ua = a[j], ub = b[j]
            if ua.carrier == ub.carrier && ua.modulator1 == ub.modulator1 && ua.modulator2 == ub.modulator2
                && ua.topology == ub.topology {
                let w = rng.uniform(-0.25, 1.25)          // BLX-0.25 between the two
                var u = ua
                u.index1 = space.clampIndex(ua.index1 + w * (ub.index1 - ua.index1))
                u.index2 = space.clampIndex(ua.index2 + w * (ub.index2 - ua.index2))
                child[j] = u
            } else {
                child[j] = rng.chance(0.5) ? ua : ub
            }
        }
    }

    // MARK: mutation

    public func mutate(_ g: UnsafeMutableBufferPointer<FMUnit>, _ rng: inout Xoshiro256) {
        var touched = false
        for j in 0..<g.count where rng.chance(unitRate) {
            touched = true
            if rng.chance(0.1) { g[j] = randomUnit(&rng); continue }
            var u = g[j]
            // until the unit has changed: a ratio step clamped at a bound, or a redraw of the same
            // value, changes nothing (the index range has a positive width, so this ends)
            repeat {
                if space.ratioGrid != nil && rng.chance(0.1) { u = shiftCarrier(u, &rng) }
                if rng.chance(geneRate) { u.carrier = mutateRatio(u.carrier, space.carrier, &rng) }
                if rng.chance(geneRate) { u.modulator1 = mutateRatio(u.modulator1, space.modulator, &rng) }
                if rng.chance(geneRate) { u.modulator2 = mutateRatio(u.modulator2, space.modulator, &rng) }
                if rng.chance(geneRate) { u.index1 = mutateIndex(u.index1, &rng) }
                if rng.chance(geneRate) { u.index2 = mutateIndex(u.index2, &rng) }
                if space.topology == .any && rng.chance(geneRate * 0.5) {
                    u.topology = u.topology == .parallel ? .cascade : .parallel
                }
                if space.indexDecay == true && rng.chance(geneRate) { u.decay = mutateDecay(u.decay, &rng) }
            } while u == g[j]
            g[j] = u
        }
        if !touched {                                         // never return the parent unchanged
            let j = rng.integer(0, g.count - 1)
            var u = g[j]
            repeat { u.index1 = mutateIndex(u.index1, &rng) } while u == g[j]
            g[j] = u
        }
    }

    /// Ratio: a step of ±1 or ±2 (creep), or a uniform redraw; on a ratio grid, GridOperators'.
    func mutateRatio(_ v: Int32, _ range: ClosedRange<Int>, _ rng: inout Xoshiro256) -> Int32 {
        if space.ratioGrid != nil { return mutateGridRatio(v, range, isCarrier: range == space.carrier, &rng) }
        if rng.chance(resetRate) { return Int32(rng.integer(range.lowerBound, range.upperBound)) }
        var step = rng.chance(0.75) ? 1 : 2
        if rng.chance(0.5) { step = -step }
        return space.clampRatio(Int(v) + step, range)
    }

    /// Index: a Gaussian step (reflected at the bounds), or a redraw. The step's scale is
    /// log-uniform between indexSigma/50 and indexSigma: the error is steep in the indices near a
    /// match (a 0.1 rad change can multiply it by 10), so fine steps must be as likely as coarse ones.
    func mutateIndex(_ v: Double, _ rng: inout Xoshiro256) -> Double {
        if rng.chance(resetRate) { return randomIndex(&rng) }
        let sigma = indexSigma * pow(50, -rng.uniform())
        var x = v + sigma * rng.normal()
        let lo = space.index.lowerBound, hi = space.index.upperBound
        if x < lo { x = lo + (lo - x) }
        if x > hi { x = hi - (x - hi) }
        return space.clampIndex(x)
    }

    // MARK: canonical form

    /// Units are interchangeable (the fitness is a sum over units), and in a parallel unit the
    /// two modulators are interchangeable: one canonical order lets crossover line up alike units.
    public static func canonicalize(_ g: UnsafeMutableBufferPointer<FMUnit>) {
        for j in 0..<g.count where g[j].topology == .parallel {
            let u = g[j]
            if (u.modulator2, u.index2) < (u.modulator1, u.index1) {
                g[j] = FMUnit(carrier: Int(u.carrier), modulator1: Int(u.modulator2), modulator2: Int(u.modulator1),
                              index1: u.index2, index2: u.index1, topology: .parallel, decay: u.decay)
            }
        }
        // insertion sort: N ≤ 8
        for i in 1..<max(g.count, 1) {
            var j = i
            while j > 0 && precedes(g[j], g[j - 1]) {
                g.swapAt(j, j - 1)
                j -= 1
            }
        }
    }

    static func precedes(_ x: FMUnit, _ y: FMUnit) -> Bool {
        if x.carrier != y.carrier { return x.carrier < y.carrier }
        if x.topology != y.topology { return x.topology.rawValue < y.topology.rawValue }
        if x.modulator1 != y.modulator1 { return x.modulator1 < y.modulator1 }
        if x.modulator2 != y.modulator2 { return x.modulator2 < y.modulator2 }
        if x.index1 != y.index1 { return x.index1 < y.index1 }
        if x.index2 != y.index2 { return x.index2 < y.index2 }
        return x.decay < y.decay
    }
}
