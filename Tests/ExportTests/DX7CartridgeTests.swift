import Export
import Testing

/// The 32-voice cartridge against Dexed's source (asb2m10/dexed 2026-03): the init voice of
/// PluginData.cpp resetToInitVoice, packed as Cartridge::packProgram does (Documentation/
/// sysex-format.txt, "Bulk Dump Packed Format": 17 bytes an operator, OP6 first: R1–R4, L1–L4,
/// break point, left and right depth, LC | RC<<2, RS | DET<<3, AMS | KVS<<2, OL, mode | coarse<<1,
/// fine; then pitch EG R1–R4 L1–L4, algorithm − 1, FB | OKS<<3, LFO speed, delay, PMD, AMD,
/// LKS | wave<<1 | PMS<<4, transpose, 10 name bytes).
@Suite struct DX7CartridgeTests {
    /// Dexed's init voice (unpacked: every operator R 99 99 99 99, L 99 99 99 0, break point and
    /// depths 0, curves 0, RS 0, AMS 0, KVS 0, OL 0 — 99 for OP1 —, ratio mode, coarse 1, fine 0,
    /// detune 7; pitch EG 99 99 99 99 50 50 50 50, algorithm 1, feedback 0, key sync 1, LFO 35 0
    /// 0 0, LFO sync 1, wave 0, PMS 3, transpose 24, "INIT VOICE"), packed by hand.
    static let initVoice: [UInt8] = {
        func op(_ ol: UInt8) -> [UInt8] { [99, 99, 99, 99, 99, 99, 99, 0, 0, 0, 0, 0, 7 << 3, 0, ol, 1 << 1, 0] }
        var b = op(0) + op(0) + op(0) + op(0) + op(0) + op(99)                  // OP6 … OP1
        b += [99, 99, 99, 99, 50, 50, 50, 50, 0, 0 | 1 << 3, 35, 0, 0, 0, 1 | 0 << 1 | 3 << 4, 24]
        b += Array("INIT VOICE".utf8)
        return b
    }()

    @Test func initVoiceIsDexeds() {
        #expect(Self.initVoice.count == 128)
        #expect(DX7Export.initVoice() == Self.initVoice)
    }

    static func voice() -> DX7Export.Voice {
        let ops = [
            DX7Export.Operator(rates: [10, 20, 30, 40], levels: [99, 80, 70, 0], outputLevel: 90, coarse: 1),   // OP1
            DX7Export.Operator(rates: [99, 99, 99, 99], levels: [99, 99, 99, 99], outputLevel: 75, coarse: 3),  // OP2
            DX7Export.Operator(rates: [99, 99, 99, 99], levels: [99, 99, 99, 99], outputLevel: 60, coarse: 2),  // OP3
            DX7Export.Operator(rates: [55, 66, 77, 88], levels: [98, 87, 76, 5], outputLevel: 85, coarse: 4),   // OP4
            DX7Export.Operator(rates: [99, 99, 99, 99], levels: [99, 99, 99, 99], outputLevel: 20, coarse: 31), // OP5
            DX7Export.Operator(rates: [99, 99, 99, 99], levels: [99, 99, 99, 99], outputLevel: 0, coarse: 16),  // OP6
        ]
        return DX7Export.Voice(name: "brass, A4!", algorithm: 10, operators: ops, noteOff: 1, midiNote: 69, dropped: 0)
    }

    /// A hand-made voice packs to its bytes, OP6 first.
    @Test func aVoicePacksOP6First() {
        let p = DX7Export.packed(Self.voice())
        let tail: [UInt8] = [0, 0, 0, 0, 56, 0]                 // break point, depths, curves, RS | DET 7, AMS | KVS
        var expected = [UInt8]()
        expected += [99, 99, 99, 99, 99, 99, 99, 99] + tail + [0, 16 << 1, 0]       // OP6: OL 0, coarse 16
        expected += [99, 99, 99, 99, 99, 99, 99, 99] + tail + [20, 31 << 1, 0]      // OP5
        expected += [55, 66, 77, 88, 98, 87, 76, 5] + tail + [85, 4 << 1, 0]        // OP4
        expected += [99, 99, 99, 99, 99, 99, 99, 99] + tail + [60, 2 << 1, 0]       // OP3
        expected += [99, 99, 99, 99, 99, 99, 99, 99] + tail + [75, 3 << 1, 0]       // OP2
        expected += [10, 20, 30, 40, 99, 80, 70, 0] + tail + [90, 1 << 1, 0]        // OP1
        expected += [99, 99, 99, 99, 50, 50, 50, 50]                                 // pitch EG flat
        expected += [9, 1 << 3, 35, 0, 0, 0, 1, 24]                                  // algorithm 10, key sync, LFO, transpose
        expected += Array("BRASS, A4!".utf8)
        #expect(p.count == 128)
        #expect(p == expected)
        #expect(p[110] == 9 && p[14] == 0 && p[85 + 14] == 90 && p[85 + 15] == 2)  // algorithm, OP6 and OP1 levels
    }

    /// F0 43 00 09 20 00, voice 1, 31 init voices, checksum (−Σ data) & 0x7F (the masked two's
    /// complement of the 4096 data bytes), F7: 4104 bytes. Two voices whose sums differ by one,
    /// so that a checksum of +Σ cannot pass by chance (Σ ≡ 0 or 64 mod 128 for both).
    @Test func theCartridge() {
        var other = Self.voice()
        other.operators[0].rates[0] += 1
        for voice in [Self.voice(), other] {
            let c = DX7Export.cartridge(voice)
            #expect(c.count == 4104)
            #expect(Array(c.prefix(6)) == [0xF0, 0x43, 0x00, 0x09, 0x20, 0x00] && c.last == 0xF7)
            #expect(Array(c[6..<134]) == DX7Export.packed(voice))
            for v in 1..<32 { #expect(Array(c[(6 + 128 * v)..<(134 + 128 * v)]) == Self.initVoice, "voice \(v + 1)") }
            let sum = c[6..<4102].reduce(0) { $0 + Int($1) }
            #expect(Int(c[4102]) == (128 - sum % 128) % 128, "checksum \(c[4102]) for a sum of \(sum)")
            #expect(c[6..<4102].allSatisfy { $0 < 128 })                              // 7-bit data
        }
    }

    @Test func namesAreTenUppercaseASCIICharacters() {
        var v = Self.voice()
        v.name = "Tromba é"
        #expect(Array(DX7Export.packed(v).suffix(10)) == Array("TROMBA    ".utf8))  // é → space, padded
        v.name = "a very long name"
        #expect(Array(DX7Export.packed(v).suffix(10)) == Array("A VERY LON".utf8))
    }
}
