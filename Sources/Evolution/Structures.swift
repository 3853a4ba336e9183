import FMSynthesis

extension EvolutionState {
    /// The best genomes with distinct structures — the multiset of (carrier, modulators,
    /// topology) of their units — best static err first, champion first: the candidates the
    /// refinement stage screens (RefinementStage). The hall of fame (the best of earlier epochs)
    /// and every earlier epoch's champion compete with the population by their err.
    public func distinctStructures(limit: Int) -> [[FMUnit]] {
        var pool: [([FMUnit], Double)] = [(champion, bestFitness)]
        if !hallOfFame.isEmpty { pool.append((hallOfFame, hallOfFameFitness)) }
        let N = carriers
        for e in epochFitness.indices { pool.append((Array(epochChampions[(e * N)..<((e + 1) * N)]), epochFitness[e])) }
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

    /// Epoch champions kept for the refinement stage.
    public static let epochArchiveSize = 24

    /// Files the current epoch's champion (before a restart) among the epoch champions: one
    /// genome per structure (the better one), best err first (ties: the earlier), at most
    /// `epochArchiveSize`.
    package mutating func archiveEpochChampion() {
        let N = carriers, genome = Array(units.prefix(N)), err = populationBest
        guard N > 0, err.isFinite else { return }
        var entries = epochFitness.indices.map { (Array(epochChampions[($0 * N)..<(($0 + 1) * N)]), epochFitness[$0]) }
        let key = Self.structure(genome)
        if let same = entries.firstIndex(where: { Self.structure($0.0) == key }) {
            if entries[same].1 <= err { return }
            entries.remove(at: same)
        }
        let at = entries.firstIndex { $0.1 > err } ?? entries.count
        entries.insert((genome, err), at: at)
        entries = Array(entries.prefix(Self.epochArchiveSize))
        epochChampions = entries.flatMap { $0.0 }
        epochFitness = entries.map { $0.1 }
    }

    /// A genome's structure as sorted unit keys (indices ignored).
    static func structure(_ g: [FMUnit]) -> [UInt32] {
        g.map { UInt32($0.carrier) << 24 | UInt32($0.modulator1) << 16 | UInt32($0.modulator2) << 8 | UInt32($0.topology.rawValue) }.sorted()
    }
}
