import Export
import Testing

/// OSC 1.0 messages and SuperCollider's binary NRT score (HelpSource/Guides/Non-Realtime-Synthesis:
/// "each bundle is preceded by a 32 bit size"), by hand: the address and the type-tag string are
/// NUL-terminated and padded with NULs to a multiple of 4 bytes (a 4-byte string takes 8); int32
/// and float32 big-endian; a blob is its int32 size, its bytes, padded to 4. A bundle is
/// "#bundle\0", a 64-bit timetag (seconds · 2³², no epoch in NRT), then each element as
/// int32 size + message.
@Suite struct OSCTests {
    /// ["/s_new", "tiny", 1000, 0, 0, "amp", 0.5]
    static let sNew: [UInt8] = [0x2F, 0x73, 0x5F, 0x6E, 0x65, 0x77, 0, 0,            // "/s_new" + 2 NUL
                                0x2C, 0x73, 0x69, 0x69, 0x69, 0x73, 0x66, 0,          // ",siiisf" + 1 NUL
                                0x74, 0x69, 0x6E, 0x79, 0, 0, 0, 0,                   // "tiny" + 4 NUL
                                0, 0, 0x03, 0xE8, 0, 0, 0, 0, 0, 0, 0, 0,             // 1000, 0, 0
                                0x61, 0x6D, 0x70, 0,                                  // "amp" + 1 NUL
                                0x3F, 0x00, 0x00, 0x00]                               // 0.5f

    @Test func aMessageByteForByte() {
        let m = OSC.message("/s_new", [.string("tiny"), .int(1000), .int(0), .int(0), .string("amp"), .float(0.5)])
        #expect(m == Self.sNew)
    }

    @Test func blobsArePaddedToFourBytes() {
        let odd = OSC.message("/d_recv", [.blob([1, 2, 3, 4, 5])])
        #expect(odd == [0x2F, 0x64, 0x5F, 0x72, 0x65, 0x63, 0x76, 0,                   // "/d_recv" + 1 NUL
                        0x2C, 0x62, 0, 0,                                               // ",b" + 2 NUL
                        0, 0, 0, 5, 1, 2, 3, 4, 5, 0, 0, 0])                           // size 5, bytes, 3 NUL
        let four = OSC.message("/x", [.blob([9, 8, 7, 6])])
        #expect(four == [0x2F, 0x78, 0, 0, 0x2C, 0x62, 0, 0, 0, 0, 0, 4, 9, 8, 7, 6])  // no padding
        let none = OSC.message("/quit", [])
        #expect(none == [0x2F, 0x71, 0x75, 0x69, 0x74, 0, 0, 0, 0x2C, 0, 0, 0])        // "," alone
    }

    /// Two bundles: at 0 s the /s_new, at 1.5 s the /s_new and a /n_free 1000.
    @Test func aScoreByteForByte() {
        let free: [UInt8] = [0x2F, 0x6E, 0x5F, 0x66, 0x72, 0x65, 0x65, 0, 0x2C, 0x69, 0, 0, 0, 0, 0x03, 0xE8]
        #expect(OSC.message("/n_free", [.int(1000)]) == free)
        let score = OSC.score([(time: 0, messages: [Self.sNew]), (time: 1.5, messages: [Self.sNew, free])])
        let bundle: [UInt8] = [0x23, 0x62, 0x75, 0x6E, 0x64, 0x6C, 0x65, 0]            // "#bundle\0"
        func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        let first = bundle + [0, 0, 0, 0, 0, 0, 0, 0] + be32(Self.sNew.count) + Self.sNew
        // 1.5 s · 2³² = 0x00000001_80000000
        let second = bundle + [0, 0, 0, 1, 0x80, 0, 0, 0] + be32(Self.sNew.count) + Self.sNew + be32(free.count) + free
        #expect(first.count == 8 + 8 + 4 + 44)
        #expect(score == be32(first.count) + first + be32(second.count) + second)
    }
}
