import Export
import FMSynthesis
import Foundation
import Testing

/// The DX7's pitch EG and LFO as msfa runs them (asb2m10/dexed Source/msfa pitchenv.cc, lfo.cc,
/// dx7note.cc), against numbers worked by hand from those sources, and their fits to glides and
/// vibratos. (The simulations were checked against dexed-py renders while they were written: a
/// pitch EG's path within 1 cent RMS, LFO speeds 33 and 34 at 5.4916 and 5.6151 Hz, delays 70 and
/// 90 starting at 0.735 s and 1.705 s; DX7PitchDexedTests renders one exported voice.)
@Suite struct DX7PitchTests {
    /// pitchenv.cc: unit = round(64·2^24 / (21.3·44100)) = 1143 Q24 octaves a block per step;
    /// pitchenv_rate[0] = 1, [20] = 12, [50] = 41, [99] = 255; 689.06 blocks a second.
    @Test func rateTable() {
        #expect(DX7PitchEnvelope.unit == 1143)
        #expect(DX7PitchEnvelope.rateTable.count == 100 && DX7PitchEnvelope.levelTable.count == 100)
        for (r, step) in [(0, 1), (20, 12), (50, 41), (99, 255)] {
            #expect(DX7PitchEnvelope.rateTable[r] == step)
            // step·1143/2^24 octaves a block: R 0 56.33 cents/s, R 20 676.0, R 50 2309.7, R 99 14365
            let hand = Double(step) * 1143 / 16_777_216 * 1200 * 44100 / 64
            #expect(abs(DX7PitchEnvelope.speed(rate: r) - hand) < 1e-9)
        }
        #expect(abs(DX7PitchEnvelope.speed(rate: 0) - 56.333) < 0.001 && abs(DX7PitchEnvelope.speed(rate: 20) - 676.001) < 0.001)
    }

    /// pitchenv_tab: level L is tab[L]/32 octave: 0 → −128 (−4800 cents), 1 → −116, 40 → −10
    /// (−375), 49 → −1 (−37.5), 50 → 0, 51 → 1, 58 → 8 (+300), 85 → 35, 86 → 38, 99 → 127 (+4762.5).
    @Test func levelTable() {
        for (l, t) in [(0, -128), (1, -116), (40, -10), (49, -1), (50, 0), (51, 1), (58, 8), (85, 35), (86, 38), (99, 127)] {
            #expect(DX7PitchEnvelope.levelTable[l] == t, "level \(l)")
            #expect(DX7PitchEnvelope.cents(level: l) == Double(t) * 37.5)
        }
        #expect(DX7PitchEnvelope.level(cents: -40) == 49 && DX7PitchEnvelope.level(cents: 300) == 58 && DX7PitchEnvelope.level(cents: 10) == 50)
    }

    /// A fall from L4 58 (+300 cents, where the note starts) to L1 50 at R1 20: 13716 Q24 a block
    /// (12·1143), so block 0 (after one step) plays 300 − 0.98104 = 299.019 cents and the pitch
    /// reaches 0 at the 306th step (⌈4194304/13716⌉), block 305, a straight line; then held (L2, L3
    /// 50, a block each), and at key-up it goes back up to L4 at R4.
    @Test func aFallRunsAsPitchenvCC() {
        let g = DX7PitchEnvelope(rates: [20, 99, 99, 99], levels: [50, 50, 50, 58])
        let c = g.blockCents(count: 700, noteOff: 0.9)
        #expect(abs(c[0] - 299.019) < 0.001)
        #expect(c[304] > 0 && c[305] == 0 && c[306] == 0)
        for b in 1..<305 { #expect(abs(c[b - 1] - c[b] - 0.981045) < 1e-5) }
        let off = Int((0.9 / (64.0 / 44100)).rounded(.up))                 // the first block at or after key-up
        #expect(c[off - 1] == 0 && abs(c[off] - 20.8472) < 0.001)           // R4 99: 255·1143 a block
        #expect(c[off + 20] == 300)
    }

    /// A stage whose level is already reached takes one block (no pause, unlike the amplitude EG).
    @Test func anEqualStageTakesOneBlock() {
        let g = DX7PitchEnvelope(rates: [99, 0, 99, 99], levels: [50, 50, 51, 50])
        let c = g.blockCents(count: 10, noteOff: 1)
        #expect(c[0] == 0 && c[1] == 0 && abs(c[2] - 20.8472) < 0.001 && c[3] == 37.5)
    }

    /// lfo.cc: lforatio = ⌊4437500000·64/44100⌋ = 6439909; speed 33 (lfoSource 5.315191) steps
    /// ⌊5.315191·6439909⌋ = 34229346 a block: 34229346·689.0625/2^32 = 5.49158 Hz (dexed-py: 5.4916).
    /// Delay 50: a = 49 → (16 + 1)·2^4 = 272, unit round(64·25190424/44100) = 36558: the state
    /// climbs 9943776 a block and passes 2^31 in block 215 (depth 2906/2^24), then 9358848 a block
    /// (256·36558): full depth at block 445 (dexed-py: starts 0.31 s, full by 0.63 s). Depth:
    /// PMD 43 → ⌊43·165/64⌋ = 110, PMS 1 → 10: 1200·1100/65536 = 20.14 cents; PMD 99, PMS 7:
    /// 1200·255²/65536 = 1190.64 cents.
    @Test func lfoTables() {
        #expect(DX7LFO.delta(speed: 33) == 34_229_346)
        #expect(abs(DX7LFO.frequency(speed: 33) - 5.49158) < 1e-5)
        let depths = DX7LFO(speed: 33, delay: 50, pmd: 99, pms: 3).blockDepths(count: 600)
        #expect(depths[214] == 0 && depths[215] == 2906 && depths[444] < 1 << 24 && depths[445] == 1 << 24)
        #expect(DX7LFO(speed: 33, delay: 0, pmd: 1, pms: 1).blockDepths(count: 3) == [1 << 24, 1 << 24, 1 << 24])
        #expect(abs(DX7LFO(speed: 0, delay: 0, pmd: 43, pms: 1).peakCents - 20.1416) < 1e-4)
        #expect(abs(DX7LFO(speed: 0, delay: 0, pmd: 99, pms: 7).peakCents - 1190.6433) < 1e-4)
        #expect(DX7LFO.sensitivityTable == [0, 10, 20, 33, 55, 92, 153, 255])
    }

    /// Key sync starts the sine at half a cycle: the pitch first goes down, −peak·sin(2π·f·t).
    @Test func theSyncedSineStartsDownwards() {
        let lfo = DX7LFO(speed: 33, delay: 0, pmd: 43, pms: 1)
        let c = lfo.blockCents(count: 700)
        let f = DX7LFO.frequency(speed: 33), block = 64.0 / 44100
        for b in 0..<700 {
            let want = -lfo.peakCents * sin(2 * .pi * (f * (Double(b) + 0.5) * block + f * block / 2))
            #expect(abs(c[b] - want) < 0.01, "block \(b)")
        }
        #expect(c[0] < 0)
    }
}
