import FMSynthesis

extension EvolutionState {
    /// The best genomes with distinct structures — the multiset of (carrier, modulators,
    /// topology) of their units — best static err first, champion first: the candidates the
    /// refinement stage screens (RefinementStage). The hall of fame (the best of earlier epochs)
    /// competes with the population by its err.
    public func distinctStructures(limit: Int) -> [[FMUnit]] {
        var pool: [([FMUnit], Double)] = [(champion, bestFitness)]
        if !hallOfFame.isEmpty { pool.append((hallOfFame, hallOfFameFitness)) }
        for i in 0..<fitness.count where fitness[i].isFinite { pool.append((Array(genome(i)), fitness[i])) }
        // a stable order: by err, ties by position (the champion first)
        let order = pool.indices.sorted { pool[$0].1 < pool[$1].1 || (pool[$0].1 == pool[$1].1 && $0 < $1) }
        var seen: [[UInt32]] = [], out: [[FMUnit]] = []
        for i in order where out.count < limit {
            let key = Self.structure(pool[i].0)
            if seen.contains(key) { continue }
            seen.append(key)
            out.append(pool[i].0)
        }
        return out
    }

    /// A genome's structure as sorted unit keys (indices ignored).
    static func structure(_ g: [FMUnit]) -> [UInt32] {
        g.map { UInt32($0.carrier) << 24 | UInt32($0.modulator1) << 16 | UInt32($0.modulator2) << 8 | UInt32($0.topology.rawValue) }.sorted()
    }
}
