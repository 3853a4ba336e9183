import FMSynthesis

/// Little-endian binary encoding of the exact bits of a run's state (a Double is stored as its
/// bit pattern, so a resumed run continues from bit-identical numbers).
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8((v >> (8 * UInt64(i))) & 0xFF)) } }
    mutating func i64(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
    mutating func bool(_ v: Bool) { u8(v ? 1 : 0) }
    /// A length-prefixed blob.
    mutating func blob(_ v: [UInt8]) { i64(v.count); bytes += v }

    /// 29 bytes a unit: carrier, m1, m2 (4 bytes each), topology (1 byte), I1, I2 (8 bytes each).
    mutating func unit(_ u: FMUnit) {
        u32(UInt32(bitPattern: u.carrier)); u32(UInt32(bitPattern: u.modulator1)); u32(UInt32(bitPattern: u.modulator2))
        // an index decay (inharmonic mode) flags the topology byte and follows it: units without
        // one are coded as before
        u8(u.topology.rawValue | (u.decay == 0 ? 0 : 0x80))
        if u.decay != 0 { u8(u.decay) }
        f64(u.index1); f64(u.index2)
    }

    mutating func units(_ us: [FMUnit]) {
        i64(us.count)
        for u in us { unit(u) }
    }

    mutating func doubles(_ v: [Double]) {
        i64(v.count)
        for x in v { f64(x) }
    }

    private mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8((v >> (8 * UInt32(i))) & 0xFF)) } }
}

struct BinaryReader {
    let bytes: [UInt8]
    private var at = 0
    struct Truncated: Error {}

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { at == bytes.count }

    mutating func u8() throws -> UInt8 {
        guard at < bytes.count else { throw Truncated() }
        defer { at += 1 }
        return bytes[at]
    }
    mutating func u64() throws -> UInt64 {
        guard at + 8 <= bytes.count else { throw Truncated() }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
        at += 8
        return v
    }
    mutating func u32() throws -> UInt32 {
        guard at + 4 <= bytes.count else { throw Truncated() }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[at + i]) << (8 * UInt32(i)) }
        at += 4
        return v
    }
    mutating func i64() throws -> Int { Int(Int64(bitPattern: try u64())) }
    mutating func f64() throws -> Double { Double(bitPattern: try u64()) }
    mutating func bool() throws -> Bool { try u8() != 0 }
    /// A length-prefixed blob.
    mutating func blob() throws -> [UInt8] {
        let n = try i64()
        guard n >= 0 && n <= bytes.count - at else { throw Truncated() }
        defer { at += n }
        return Array(bytes[at..<(at + n)])
    }

    mutating func unit() throws -> FMUnit {
        let c = Int32(bitPattern: try u32()), m1 = Int32(bitPattern: try u32()), m2 = Int32(bitPattern: try u32())
        let flagged = try u8()
        guard let topology = Topology(rawValue: flagged & 0x7F) else { throw Truncated() }
        let decay = flagged & 0x80 == 0 ? 0 : try u8()
        let i1 = try f64(), i2 = try f64()
        return FMUnit(carrier: Int(c), modulator1: Int(m1), modulator2: Int(m2), index1: i1, index2: i2, topology: topology,
                      decay: decay)
    }

    mutating func units() throws -> [FMUnit] {
        let n = try i64()
        guard n >= 0 && n <= 1 << 20 else { throw Truncated() }
        return try (0..<n).map { _ in try unit() }
    }

    mutating func doubles() throws -> [Double] {
        let n = try i64()
        guard n >= 0 && n * 8 <= bytes.count - at else { throw Truncated() }
        return try (0..<n).map { _ in try f64() }
    }
}
