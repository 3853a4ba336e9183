import Export
import Foundation
import Testing

/// The DX7's level arithmetic (msfa env.cc, formats.md §4), by hand: EG levels move the carrier
/// in steps of 1/4 doubling (⌊scaleoutlevel(L)/2⌋ · 64/256), output levels in steps of 1/8
/// doubling (scaleoutlevel(OL) · 32/256), and a modulator's index is 4π · 2^((OL − 99)/8) rad
/// (gain 2^(level/256 − 14), 1.0 = one cycle of phase).
@Suite struct DX7LevelTests {
    /// Ratios from 1 down to −60 dB (where EG levels fall below 20 and scaleoutlevel is a table).
    static let ratios = [1, 0.9, 0.5, 0.3, 0.1, 0.03, 0.01, 0.003, 0.002, 0.0015, 0.001]

    /// level(ratio:) picks the EG level whose amplitude, relative to level 99, is nearest the
    /// ratio of all 100 (the lowest of equals), within half a step: 1/8 doubling. By hand: 0.1 is
    /// 4·log2(0.1) = −13.3 quarter doublings, ⌊scaleoutlevel/2⌋ = 63 − 13 = 50 → L 72 (or 73).
    @Test func levelForARatio() {
        #expect(DX7Export.level(ratio: 0) == 0)
        #expect(DX7Export.level(ratio: 0.1) == 72 && DX7Export.level(ratio: 1) == 98)  // 98 plays as 99
        func off(_ l: Int, _ rho: Double) -> Double {
            abs(log2(MSFA.amplitude(l, outputLevel: 99) / MSFA.amplitude(99, outputLevel: 99) / rho))
        }
        for rho in Self.ratios {
            let l = DX7Export.level(ratio: rho)
            #expect(off(l, rho) <= 0.125 + 1e-12, "ratio \(rho) → L\(l), \(off(l, rho)) doubling off")
            #expect((0...99).allSatisfy { off(l, rho) <= off($0, rho) + 1e-12 }, "ratio \(rho) → L\(l) is not the nearest")
        }
    }

    /// carrierLevel(peak:) picks the output level at which EG level 99 peaks nearest the given
    /// amplitude, of all 100: within half a step (1/16 doubling) from OL 20 up, within 1/8 in the
    /// table below, whose values step by 1 or 2 eighths. By hand: 0.5 → 8 steps below 99 = 91;
    /// 0.001 wants scaleoutlevel 8·(log2 0.001 + 15) + 7 = 47.3: 48 (OL 20), not 46 (OL 19).
    @Test func carrierLevelForAPeak() {
        #expect(DX7Export.carrierLevel(peak: 1) == 99 && DX7Export.carrierLevel(peak: 2) == 99)
        #expect(DX7Export.carrierLevel(peak: 0.5) == 91 && DX7Export.carrierLevel(peak: 0.001) == 20)
        func off(_ ol: Int, _ p: Double) -> Double { abs(log2(MSFA.amplitude(99, outputLevel: ol) / p)) }
        for p in Self.ratios {
            let ol = DX7Export.carrierLevel(peak: p)
            #expect(off(ol, p) <= (p >= 0.002 ? 0.0625 : 0.125) + 1e-12, "peak \(p) → OL \(ol), \(off(ol, p)) doubling off")
            #expect((0...99).allSatisfy { off(ol, p) <= off($0, p) + 1e-12 }, "peak \(p) → OL \(ol) is not the nearest")
        }
    }

    /// index(outputLevel:): OL 99 → 4π, 91 → 2π, 83 → π (formats.md §4); each step 2^(1/8); below
    /// 20 from the table: 2π · 2^((32·scaleoutlevel(OL) − 224)/256 − 14).
    @Test func indexOfAnOutputLevel() {
        #expect(abs(DX7Export.index(outputLevel: 99) - 4 * .pi) < 1e-12)
        #expect(abs(DX7Export.index(outputLevel: 91) - 2 * .pi) < 1e-12)
        #expect(abs(DX7Export.index(outputLevel: 83) - .pi) < 1e-12)
        #expect(DX7Export.index(outputLevel: 0) == 0)
        for ol in 20..<99 {
            #expect(abs(DX7Export.index(outputLevel: ol + 1) / DX7Export.index(outputLevel: ol) - pow(2, 0.125)) < 1e-12)
        }
        // from OL 2 (OL 1's level, −64, is floored at 16 and below fm_core's kLevelThresh: msfa
        // does not compute that operator at all)
        for ol in 2...99 {
            let msfa = 2 * Double.pi * pow(2, Double(MSFA.level(99, outputLevel: ol)) / 256 - 14)
            #expect(abs(DX7Export.index(outputLevel: ol) / msfa - 1) < 1e-12, "OL \(ol)")
        }
    }

    /// outputLevel(index:) inverts index(outputLevel:) on every level from 20 to 99, and any index
    /// from index(20) = 0.0137 rad to 4π comes back within half a step (2^(1/16)).
    @Test func outputLevelRoundTrips() {
        for ol in 20...99 { #expect(DX7Export.outputLevel(index: DX7Export.index(outputLevel: ol)) == ol) }
        var i = DX7Export.index(outputLevel: 20)
        while i <= 4 * .pi {
            let back = DX7Export.index(outputLevel: DX7Export.outputLevel(index: i))
            #expect(abs(log2(back / i)) <= 1.0 / 16 + 1e-12, "index \(i) → \(back)")
            i *= 1.03
        }
        #expect(DX7Export.outputLevel(index: 0.01) == 0)                     // negligible: off
        #expect(DX7Export.outputLevel(index: 100) == 99)                     // capped at 4π
    }
}
