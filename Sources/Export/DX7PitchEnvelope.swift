import FMSynthesis
import Foundation

/// The DX7's pitch envelope generator as Dexed's msfa engine runs it (asb2m10/dexed
/// Source/msfa/pitchenv.cc and pitchenv.h, PitchEnv::set, getsample, keydown, advance): a port of
/// its integer arithmetic, checked against dexed-py's renders (DX7PitchTests).
///
/// The level is a pitch offset in Q24 octaves (2^24 = one octave) that every operator in ratio
/// mode adds to its log frequency (dx7note.cc Dx7Note::compute: pitch_mod = PEG + LFO). A level
/// parameter L (0–99) is `levelTable[L]` 32nds of an octave (pitchenv_tab << 19): 50 is the note's
/// pitch, one step near it is 37.5 cents, the ends are −4 and +3.97 octaves. The note starts AT
/// L4, moves to L1 at R1, L2 at R2, L3 at R3 and holds L3 while the key is down; at key-up it moves
/// to L4 at R4. A rate R moves the level `rateTable[R]`·`unit` every 64-sample block, linearly
/// (no curve, no pause: a stage whose level is already reached lasts one block), `unit` =
/// round(64·2^24 / (21.3·44100)) = 1143, so rateTable[R]/21.3 octaves a second: R 99 (255)
/// 12.0 octaves/s, R 0 (1) 56 cents/s.
package struct DX7PitchEnvelope: Equatable, Sendable {
    package var rates: [Int]      // R1…R4 (0–99)
    package var levels: [Int]     // L1…L4 (0–99; 50 = the note's pitch)

    package init(rates: [Int], levels: [Int]) {
        self.rates = rates; self.levels = levels
    }

    /// The pitch held at the note's own: the bytes the export wrote before pitch curves.
    package static let flat = DX7PitchEnvelope(rates: [99, 99, 99, 99], levels: [50, 50, 50, 50])

    /// pitchenv_rate (pitchenv.cc): the step of a rate, in units of `unit`.
    package static let rateTable = [
        1, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 16, 16, 17, 18,
        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 30, 31, 33, 34, 36, 37, 38, 39, 41, 42, 44, 46, 47, 49, 51, 53,
        54, 56, 58, 60, 62, 64, 66, 68, 70, 72, 74, 76, 79, 82, 85, 88, 91, 94, 98, 102, 106, 110, 115, 120, 125,
        130, 135, 141, 147, 153, 159, 165, 171, 178, 185, 193, 202, 211, 232, 243, 254, 255,
    ]

    /// pitchenv_tab (pitchenv.cc): the pitch of a level, in 32nds of an octave.
    package static let levelTable = [
        -128, -116, -104, -95, -85, -76, -68, -61, -56, -52, -49, -46, -43, -41, -39, -37, -35, -33, -32, -31, -30,
        -29, -28, -27, -26, -25, -24, -23, -22, -21, -20, -19, -18, -17, -16, -15, -14, -13, -12, -11, -10, -9, -8,
        -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
        23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 38, 40, 43, 46, 49, 53, 58, 65, 73, 82, 92, 103, 115, 127,
    ]

    /// PitchEnv::init at 44.1 kHz, 64-sample blocks: Q24 octaves a block per step of the rate
    /// table, round(64·2^24 / (21.3·44100)) = 1143.
    package static let unit = Int(64.0 * 16_777_216 / (21.3 * 44100) + 0.5)

    /// The pitch of a level parameter (cents): levelTable[L]·1200/32.
    package static func cents(level l: Int) -> Double { Double(levelTable[l]) * 37.5 }

    /// How fast a rate moves the pitch (cents a second): rateTable[R]·unit Q24 octaves a block,
    /// 44100/64 blocks a second.
    package static func speed(rate r: Int) -> Double {
        Double(rateTable[r] * unit) / 16_777_216 * 1200 * 44100 / 64
    }

    /// The level parameter whose pitch is nearest `cents` (the one nearer 50 of equals).
    package static func level(cents: Double) -> Int {
        (0...99).min { a, b in
            let da = abs(Self.cents(level: a) - cents), db = abs(Self.cents(level: b) - cents)
            return da < db || (da == db && abs(a - 50) < abs(b - 50))
        }!
    }

    /// The level after each 64-sample block (Q24 octaves), the key released in the first block
    /// starting at or after `noteOff` (s), as DX7Envelope releases the amplitude EGs. Block b
    /// plays the level after b + 1 steps: Dx7Note::compute steps the EG before it renders a block.
    package func blockLevels(count blocks: Int, noteOff: Double) -> [Int] {
        var level = Self.levelTable[levels[3]] << 19               // PitchEnv::set: the note starts at L4
        var target = 0, inc = 0, ix = 0, rising = false, down = true
        func advance(_ newIx: Int) {
            ix = newIx
            guard ix < 4 else { return }
            target = Self.levelTable[levels[ix]] << 19
            rising = target > level
            inc = Self.rateTable[rates[ix]] * Self.unit
        }
        advance(0)
        var out = [Int](repeating: 0, count: blocks)
        for b in 0..<blocks {
            if down && Double(b) * DX7Envelope.blockSeconds >= noteOff { down = false; advance(3) }
            // key down: stages 0–2, then L3 held; key up: stage 3 (to L4), then L4 held
            if ix < 3 || (ix < 4 && !down) {
                if rising {
                    level += inc
                    if level >= target { level = target; advance(ix + 1) }
                } else {
                    level -= inc
                    if level <= target { level = target; advance(ix + 1) }
                }
            }
            out[b] = level
        }
        return out
    }

    /// The pitch of each block (cents).
    package func blockCents(count blocks: Int, noteOff: Double) -> [Double] {
        blockLevels(count: blocks, noteOff: noteOff).map { Double($0) / 16_777_216 * 1200 }
    }

    /// The glide it plays through `duration` s (cents): each block's pitch at the block's centre,
    /// linear between (what a block's phase accumulates is its centre's pitch times its length),
    /// keeping only the corners (the pitch moves by whole steps, so the stages are exactly
    /// straight between them).
    package func glide(duration: Double, noteOff: Double) -> Envelope {
        let blocks = Int(duration / DX7Envelope.blockSeconds) + 2
        let levels = blockLevels(count: blocks, noteOff: noteOff)
        var times = [Double](), values = [Double]()
        for b in 0..<blocks {
            let corner = b == 0 || b == blocks - 1 || levels[b + 1] - levels[b] != levels[b] - levels[b - 1]
            if corner {
                times.append((Double(b) + 0.5) * DX7Envelope.blockSeconds)
                values.append(Double(levels[b]) / 16_777_216 * 1200)
            }
        }
        return Envelope(times: times, values: values)
    }
}
