import Evolution
import FMSynthesis

/// The islands of an island model as one state blob: a marker byte no StateCoding version uses,
/// the island count, then each island's state and population blobs, length-prefixed. One blob
/// per generation in one transaction: a checkpoint always holds every island at the same
/// generation, so a resumed run continues from a cut that an uninterrupted run also passed.
/// (A run with one island stores its state as before islands.)
enum IslandCoding {
    static let marker: UInt8 = 0xA1

    static func isIslands(_ blob: [UInt8]) -> Bool { blob.first == marker }

    static func encode(_ s: IslandState) -> [UInt8] {
        var w = BinaryWriter()
        w.u8(marker)
        w.i64(s.islands.count)
        for island in s.islands {
            w.blob(StateCoding.encode(island))
            w.blob(PopulationCoding.encode(island))
        }
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> IslandState {
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
