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
            #expect(child != a || child != b)
            (a, b) = (b, child)
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
