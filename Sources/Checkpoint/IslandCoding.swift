import Evolution
import FMSynthesis

/// The islands of an island model as one state blob: a marker byte no StateCoding version uses,
/// the island count, then each island's state and population blobs, length-prefixed. One blob
/// per generation in one transaction: a checkpoint always holds every island at the same
/// generation, so a resumed run continues from a cut that an uninterrupted run also passed.
/// (A run with one island stores its state as before islands.)
public enum IslandCoding {
    static let marker: UInt8 = 0xA1

    static func isIslands(_ blob: [UInt8]) -> Bool { blob.first == marker }

    public static func encode(_ s: IslandState) -> [UInt8] {
        var w = BinaryWriter()
        w.u8(marker)
        w.i64(s.islands.count)
        for island in s.islands {
            w.blob(StateCoding.encode(island))
            w.blob(PopulationCoding.encode(island))
        }
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws -> IslandState {
        var r = BinaryReader(bytes)
        guard try r.u8() == marker else { throw BinaryReader.Truncated() }
        let count = try r.i64()
        guard count >= 1 && count <= 4096 else { throw BinaryReader.Truncated() }
        var islands: [EvolutionState] = []
        for _ in 0..<count {
            let state = try r.blob()
            let (units, fitness) = try PopulationCoding.decode(try r.blob())
            islands.append(try StateCoding.decode(state, units: units, fitness: fitness))
        }
        guard r.atEnd else { throw BinaryReader.Truncated() }
        return IslandState(islands: islands)
    }
}

/// What an MPI rank sends after a generation: for each island it holds, the island's number, the
/// generation's statistics and its complete state (StateCoding and PopulationCoding), so that
/// every rank holds every island, bit for bit, after the exchange.
public enum IslandExchange {
    public static func encode(_ entries: [(island: Int, state: EvolutionState, stats: GenerationStats?)]) -> [UInt8] {
        var w = BinaryWriter()
        w.i64(entries.count)
        for e in entries {
            w.i64(e.island)
            w.bool(e.stats != nil)
            if let st = e.stats {
                w.i64(st.generation); w.f64(st.best); w.f64(st.mean); w.i64(st.evaluations); w.i64(st.abandoned)
                w.i64(st.totalEvaluations); w.bool(st.restarted)
            }
            w.blob(StateCoding.encode(e.state))
            w.blob(PopulationCoding.encode(e.state))
        }
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws -> [(island: Int, state: EvolutionState, stats: GenerationStats?)] {
        var r = BinaryReader(bytes)
        let n = try r.i64()
        guard n >= 0 && n <= 4096 else { throw BinaryReader.Truncated() }
        var out: [(island: Int, state: EvolutionState, stats: GenerationStats?)] = []
        for _ in 0..<n {
            let island = try r.i64()
            var stats: GenerationStats?
            if try r.bool() {
                stats = GenerationStats(generation: try r.i64(), best: try r.f64(), mean: try r.f64(), evaluations: try r.i64(),
                                        abandoned: try r.i64(), totalEvaluations: try r.i64(), restarted: try r.bool())
            }
            let state = try r.blob()
            let (units, fitness) = try PopulationCoding.decode(try r.blob())
            out.append((island, try StateCoding.decode(state, units: units, fitness: fitness), stats))
        }
        guard r.atEnd else { throw BinaryReader.Truncated() }
        return out
    }
}
