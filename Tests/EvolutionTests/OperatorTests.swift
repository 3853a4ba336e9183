import Evolution
import FMSynthesis
import Testing

@Suite struct OperatorTests {
    let space = SearchSpace(carrier: 1...12, modulator: 1...9, index: 0...5, topology: .any)

    func inside(_ u: FMUnit) -> Bool {
        space.carrier.contains(Int(u.carrier)) && space.modulator.contains(Int(u.modulator1))
            && space.modulator.contains(Int(u.modulator2)) && space.index.contains(u.index1) && space.index.contains(u.index2)
    }

    @Test func variationStaysInsideTheSpace() {
        let ops = Operators(space: space, carriers: 3)
        var rng = Xoshiro256(seed: 11)
        var a = (0..<3).map { _ in ops.randomUnit(&rng) }, b = (0..<3).map { _ in ops.randomUnit(&rng) }
        for _ in 0..<2000 {
            var child = a
            a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                child.withUnsafeMutableBufferPointer { ops.crossover(pa, pb, into: $0, &rng) }
            } }
            child.withUnsafeMutableBufferPointer { ops.mutate($0, &rng); Operators.canonicalize($0) }
            #expect(child.allSatisfy(inside))
            (a, b) = (b, child)
        }
    }

    /// Crossover takes a slot whose parents differ in structure whole from one parent or the
    /// other, each about half the time; a slot where both share ratios and topology gets indices
    /// on the BLX-0.25 segment between the parents' (one weight w ∈ [−0.25, 1.25] for both).
    @Test func crossoverInheritsWholeUnitsAndBlendsAlikeOnes() {
        let ops = Operators(space: space, carriers: 3)
        let a = [FMUnit(carrier: 1, modulator1: 2, modulator2: 3, index1: 1.0, index2: 2.0, topology: .parallel),
                 FMUnit(carrier: 2, modulator1: 1, modulator2: 4, index1: 1.0, index2: 3.0, topology: .cascade),
                 FMUnit(carrier: 5, modulator1: 1, modulator2: 1, index1: 0.5, index2: 0.5, topology: .parallel)]
        let b = [FMUnit(carrier: 1, modulator1: 2, modulator2: 5, index1: 2.0, index2: 1.0, topology: .parallel),
                 FMUnit(carrier: 2, modulator1: 1, modulator2: 4, index1: 2.0, index2: 2.0, topology: .cascade),
                 FMUnit(carrier: 5, modulator1: 1, modulator2: 1, index1: 0.5, index2: 0.5, topology: .cascade)]
        var rng = Xoshiro256(seed: 3)
        var child = a
        var fromA = [0, 0, 0], weights = [Double]()
        let trials = 4000
        for _ in 0..<trials {
            a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                child.withUnsafeMutableBufferPointer { ops.crossover(pa, pb, into: $0, &rng) }
            } }
            for j in [0, 2] {
                #expect(child[j] == a[j] || child[j] == b[j], "slot \(j): \(child[j]) is neither parent's")
                if child[j] == a[j] { fromA[j] += 1 }
            }
            let u = child[1]
            #expect(u.carrier == 2 && u.modulator1 == 1 && u.modulator2 == 4 && u.topology == .cascade)
            let w = u.index1 - 1.0                                      // index1 = 1 + w·(2 − 1)
            #expect(w >= -0.25 && w <= 1.25)
            #expect(abs(u.index2 - (3.0 - w)) < 1e-12)                  // index2 = 3 + w·(2 − 3), same w
            weights.append(w)
        }
        for j in [0, 2] {
            let share = Double(fromA[j]) / Double(trials)
            #expect(share > 0.45 && share < 0.55, "slot \(j) came from the first parent \(share) of the time")
        }
        #expect(weights.min()! < -0.2 && weights.max()! > 1.2)         // it extrapolates both ways
    }

    /// Mutation never returns the genome unchanged — also for units at the edges of the space,
    /// where a ratio step or an index step can be clamped back onto the old value — and over many
    /// draws each kind of gene is stepped on its own (not only by redrawing a whole unit).
    @Test func mutationAlwaysChangesAndReachesEveryGene() {
        let ops = Operators(space: space, carriers: 2)
        var rng = Xoshiro256(seed: 17)
        let parents: [[FMUnit]] = [
            [FMUnit(carrier: 1, modulator1: 1, modulator2: 1, index1: 0, index2: 0, topology: .parallel),
             FMUnit(carrier: 12, modulator1: 9, modulator2: 9, index1: 5, index2: 5, topology: .cascade)],
            [FMUnit(carrier: 4, modulator1: 3, modulator2: 6, index1: 1.5, index2: 2.5, topology: .parallel),
             FMUnit(carrier: 7, modulator1: 2, modulator2: 8, index1: 0.7, index2: 3.1, topology: .cascade)],
        ]
        var unchanged = 0
        var changedGenes = [String: Int]()
        for parent in parents {
            for _ in 0..<3000 {
                var g = parent
                g.withUnsafeMutableBufferPointer { ops.mutate($0, &rng) }
                if g == parent { unchanged += 1 }
                for (u, p) in zip(g, parent) {
                    // count the genes' own steps, not the redraws of whole units (which change every gene)
                    let redrawn = u.carrier != p.carrier && u.modulator1 != p.modulator1 && u.modulator2 != p.modulator2
                        && u.index1 != p.index1 && u.index2 != p.index2
                    if redrawn { continue }
                    if u.carrier != p.carrier { changedGenes["carrier", default: 0] += 1 }
                    if u.modulator1 != p.modulator1 { changedGenes["modulator1", default: 0] += 1 }
                    if u.modulator2 != p.modulator2 { changedGenes["modulator2", default: 0] += 1 }
                    if u.index1 != p.index1 { changedGenes["index1", default: 0] += 1 }
                    if u.index2 != p.index2 { changedGenes["index2", default: 0] += 1 }
                    if u.topology != p.topology { changedGenes["topology", default: 0] += 1 }
                }
            }
        }
        #expect(unchanged == 0, "\(unchanged) of 6000 mutations returned the parent")
        for gene in ["carrier", "modulator1", "modulator2", "index1", "index2", "topology"] {
            #expect(changedGenes[gene, default: 0] > 300, "\(gene) stepped in only \(changedGenes[gene, default: 0]) of 12000 units")
        }
    }

    @Test func topologyChoiceIsRespected() {
        var s = space
        s.topology = .cascade
        let ops = Operators(space: s, carriers: 2)
        var rng = Xoshiro256(seed: 2)
        var g = (0..<2).map { _ in ops.randomUnit(&rng) }
        for _ in 0..<500 { g.withUnsafeMutableBufferPointer { ops.mutate($0, &rng) } }
        #expect(g.allSatisfy { $0.topology == .cascade })
    }

    @Test func canonicalOrder() {
        var g = [
            FMUnit(carrier: 5, modulator1: 7, modulator2: 2, index1: 1, index2: 3, topology: .parallel),
            FMUnit(carrier: 2, modulator1: 7, modulator2: 2, index1: 1, index2: 3, topology: .cascade),
        ]
        g.withUnsafeMutableBufferPointer { Operators.canonicalize($0) }
        #expect(g[0].carrier == 2 && g[0].modulator1 == 7)                   // cascade order is meaningful
        #expect(g[1].modulator1 == 2 && g[1].index1 == 3 && g[1].modulator2 == 7 && g[1].index2 == 1)
    }

    @Test func survivorsClearCrowdedNiches() {
        // five genomes of niche "a" and two of "b": capacity 2 keeps a, a, b, b then fills
        let fitness = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]
        let niches = ["a", "a", "a", "a", "a", "b", "b"]
        #expect(Selection.survivors(fitness: fitness, niches: niches, capacity: 2, keep: 4) == [0, 1, 5, 6])
        #expect(Selection.survivors(fitness: fitness, niches: niches, capacity: 2, keep: 5) == [0, 1, 5, 6, 2])
        // ties keep the earlier genome
        #expect(Selection.survivors(fitness: [0.3, 0.3, 0.1], niches: [1, 2, 3], capacity: 1, keep: 2) == [2, 0])
    }
}
