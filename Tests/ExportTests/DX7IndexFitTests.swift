import Export
import FMSynthesis
import Foundation
import Testing

/// A modulator's EG fitted to its unit's index envelope (DX7IndexFit). The law, by hand from
/// msfa (env.cc, dx7note.cc, fm_core.cc): the operator's output gain·sin with gain
/// 2^(level/256 − 14) cycles is added to its carrier's phase, so the index is
/// 2π·2^(level/256 − 14) rad, level = 64·⌊scaleoutlevel(L)/2⌋ + 32·scaleoutlevel(OL) − 4256:
/// 4π at OL 99 and L 99, and 4π·2^((OL − 99)/8) at L 99 from OL 20 up — the static mapping.
@Suite struct DX7IndexFitTests {
    static let flat = [99, 99, 99, 99]

    /// At EG level 99 the EG plays the static law's index, 4π·2^((OL − 99)/8) rad (OL 99 → 4π,
    /// 91 → 2π, 83 → π), once the first block's rise (R 99) is over.
    @Test func atLevel99TheEGPlaysTheStaticIndex() {
        for ol in 20...99 {
            let i = DX7Envelope(outputLevel: ol, rates: Self.flat, levels: Self.flat).indices(at: [0.05, 0.5], noteOff: 1)
            let byHand = 4 * Double.pi * pow(2, Double(ol - 99) / 8)
            #expect(i.allSatisfy { abs($0 / byHand - 1) < 1e-12 }, "OL \(ol): \(i), by hand \(byHand)")
            #expect(abs(byHand / DX7Export.index(outputLevel: ol) - 1) < 1e-12)
        }
        let pi = DX7Envelope(outputLevel: 83, rates: Self.flat, levels: Self.flat).indices(at: [0.5], noteOff: 1)[0]
        #expect(abs(pi - .pi) < 1e-12)
    }

    /// An index that does not move gets exactly today's static mapping: OL = 99 + 8·log2(I/4π)
    /// rounded (0 below 0.013 rad, 99 above 4π), the EG flat at 99 — whatever the amplitude.
    @Test(arguments: [0, 0.01, 0.3, 1, Double.pi, 2 * Double.pi, 4 * Double.pi, 20])
    func aConstantIndexGivesTheStaticOutputLevel(index: Double) {
        let e = Envelope(times: [0, 0.5, 2], values: [index, index, index])
        let amplitude = Envelope(times: [0, 0.1, 1.5, 1.6], values: [0, 0.4, 0.3, 0])
        let g = DX7Envelope.fitIndex(e, amplitude: amplitude, loudness: amplitude, duration: 2, noteOff: 1.5)
        #expect(g == DX7Envelope(outputLevel: DX7Export.outputLevel(index: index), rates: Self.flat, levels: Self.flat), "\(g)")
    }

    /// The same through the voice: a unit with index envelopes that do not move is written
    /// byte for byte as the unit with fixed indices (version 1).
    @Test func aStaticUnitWithConstantIndexEnvelopesIsTheSameVoice() throws {
        func file(_ constantEnvelopes: Bool) throws -> PatchFile {
            let moving = constantEnvelopes ? #", "index1_envelope": [[0, 1.7], [1, 1.7]], "index2_envelope": [[0, 0.6], [1, 0.6]]"# : ""
            let json = """
            {"format": "fmevolve-patch", "version": 2, "name": "static", "f0": 440, "sample_rate": 44100, "samples": 66150, "err": 0,
             "units": [{"carrier": 1, "modulator1": 2, "modulator2": 3, "index1": 1.7, "index2": 0.6, "topology": "cascade",
                        "envelope": [[0, 0], [0.05, 0.5], [1.2, 0.4], [1.3, 0]]\(moving)},
                       {"carrier": 3, "modulator1": 1, "modulator2": 5, "index1": 2.5, "index2": 0.2, "topology": "parallel",
                        "envelope": [[0, 0], [0.05, 0.25], [1.2, 0.2], [1.3, 0]]}],
             "fmevolve_version": "test"}
            """
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("dx7-static-\(UUID().uuidString).json").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try json.write(toFile: path, atomically: true, encoding: .utf8)
            return try PatchFile.read(path: path)
        }
        let fixed = DX7Export.voice(try file(false)), constant = DX7Export.voice(try file(true))
        #expect(DX7Export.packed(fixed) == DX7Export.packed(constant))
        // OP2, OP3 (cascade 1.7, 0.6 rad) and OP5, OP6 (parallel 2.5, 0.2 rad): OL alone, EG flat
        for (op, i) in [(1, 1.7), (2, 0.6), (4, 2.5), (5, 0.2)] {
            let o = constant.operators[op]
            #expect(o.outputLevel == DX7Export.outputLevel(index: i) && o.levels == Self.flat && o.rates == Self.flat, "OP\(op + 1): \(o)")
        }
    }

    /// Hand-solved: an index that falls from π to π/4 — two doublings — exactly as rate 50 falls,
    /// speed(50) = (4 + 0)·2⁸ steps of 2⁻¹⁶ doublings per 64-sample block at 44.1 kHz
    /// = 10.7666 doublings/s, i.e. I(t) = π·2^(−10.7666·t) for 0.18576 s, then held. The EG
    /// holding π needs OL 83 at L 99 (or an equal level: OL + 2k at L − 2k), π/4 an EG level
    /// 8 quarter doublings lower. The fit plays that curve (within 1 % after the first 3 blocks,
    /// which rise from silence, and exactly π/4 once held) and decays at rate 50's speed (measured:
    /// OL 83, R 99 50 50 99, L 99 86 82 99 — π, then π/4 in two stages at rate 50).
    @Test func aDecayAtRate50IsFittedAtRate50() throws {
        let speed = DX7Export.speed(rate: 50)
        #expect(speed == 10.7666015625)
        let t1 = 2 / speed
        let times = stride(from: 0.0, through: 1.0, by: 0.0025).map { $0 }
        let index = Envelope(times: times, values: times.map { Double.pi * pow(2, -speed * min($0, t1)) })
        let amplitude = Envelope(times: [0, 1], values: [0.5, 0.5])
        let g = DX7Envelope.fitIndex(index, amplitude: amplitude, loudness: amplitude, duration: 1, noteOff: 1.2)
        let check = stride(from: 3 * DX7Envelope.blockSeconds, through: 1.0, by: 0.001).map { $0 }
        let played = g.indices(at: check, noteOff: 1.2)
        let worst = zip(check, played).map { abs($1 / index.value(at: $0) - 1) }.max()!
        #expect(worst < 0.01, "\(g): off by \(worst)")
        #expect(abs(g.indices(at: [0.6], noteOff: 1.2)[0] - .pi / 4) < 1e-12, "\(g)")
        // the stages that fall from π to π/4 (one, or two in a row) do so at speed(50) (rates 50
        // and 51 share it)
        let falling = (0..<3).filter { s in
            let from = s == 0 ? 0 : DX7Envelope.actual(level: g.levels[s - 1], outputLevel: g.outputLevel)
            return DX7Envelope.actual(level: g.levels[s], outputLevel: g.outputLevel) < from
        }
        try #require(!falling.isEmpty, "\(g)")
        for s in falling { #expect(DX7Export.speed(rate: g.rates[s]) == speed, "R\(s + 1) of \(g)") }
    }

    /// Where the unit is silent its index does not count: an index of 2 rad while the unit
    /// sounds that leaps to 10 rad after it has stopped (another unit still sounding) is played
    /// as 2 rad within the output levels' half step (2^(1/16)) while the unit sounds.
    @Test func silentStretchesDoNotCount() {
        let index = Envelope(times: [0, 0.55, 0.56, 2], values: [2, 2, 10, 10])
        let amplitude = Envelope(times: [0, 0.01, 0.5, 0.52], values: [0, 0.5, 0.5, 0])
        let loudness = Envelope(times: [0, 0.01, 0.5, 0.52, 2], values: [0, 1, 1, 0.5, 0.5])
        let g = DX7Envelope.fitIndex(index, amplitude: amplitude, loudness: loudness, duration: 2, noteOff: 1.8)
        let sounding = stride(from: 0.02, through: 0.5, by: 0.01).map { $0 }
        let worst = g.indices(at: sounding, noteOff: 1.8).map { abs(log2($0 / 2)) }.max()!
        #expect(worst <= 1.0 / 16 + 1e-9, "\(g): \(worst) doubling off while the unit sounds")
    }
}
