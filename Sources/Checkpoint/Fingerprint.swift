/// A 128-bit fingerprint of data: two 64-bit FNV-1a hashes (Fowler–Noll–Vo, offset bases
/// 0xcbf29ce484222325 and its bitwise complement). It identifies a recording or an analysis,
/// so that a run is never resumed against different samples; it is not a cryptographic hash.
public struct Fingerprint {
    private var a: UInt64 = 0xCBF2_9CE4_8422_2325
    private var b: UInt64 = ~0xCBF2_9CE4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01B3

    public init() {}

    public mutating func add(_ v: UInt64) {
        var x = v
        for _ in 0..<8 {
            let byte = x & 0xFF
            a = (a ^ byte) &* Self.prime
            b = (b ^ (byte ^ 0x5A)) &* Self.prime
            x >>= 8
        }
    }

    public mutating func add(_ v: Double) { add(v.bitPattern) }
    public mutating func add(_ v: Int) { add(UInt64(bitPattern: Int64(v))) }
    public mutating func add(_ values: [Double]) { for v in values { add(v.bitPattern) } }

    /// 32 hexadecimal digits.
    public var hex: String {
        func h(_ x: UInt64) -> String {
            let s = String(x, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return h(a) + h(b)
    }

    /// The fingerprint of decoded mono samples and their rate.
    public static func samples(_ x: [Double], sampleRate: Int) -> String {
        var f = Fingerprint()
        f.add(sampleRate)
        f.add(x.count)
        f.add(x)
        return f.hex
    }
}
