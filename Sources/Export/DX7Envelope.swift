import FMSynthesis
import Foundation

/// The DX7 envelope generator as Dexed's msfa engine runs it (env.cc, with ACCURATE_ENVELOPE,
/// as Dexed and dexed-py build it): a port of Env::advance and Env::getsample in their integer
/// arithmetic.
///
/// Levels are logarithmic: one unit of `actual` is 1/256 of a doubling, and a carrier's output
/// is 2^(actual/256 − 15) (Dexed: one carrier at output level 99, EG level 99 peaks at 1.0),
/// actual = max(16, 64·⌊scaleoutlevel(L)/2⌋ + 32·scaleoutlevel(OL) − 4256). The EG advances
/// once per 64-sample block at 44.1 kHz: a decay moves down D(R) doublings per second
/// (DX7Export.speed), linearly in the log domain; a rise first jumps to 1716/256 = 6.703
/// doublings (−50 dB) and then climbs ⌊17 − ℓ⌋·D(R)/(blocks per second) doublings per block.
/// A stage whose target is the level already reached is a pause: the level holds for
/// statics[R] samples (R < 77; 20·(99 − R) from 77 up; env.cc's table, measured on a DX7 by
/// its author) — L1 = L2 at R2 = 30 holds L1 for 1.4 s (checked in dexed-py).
/// A note starts in silence, goes to L1 at R1, L2 at R2, L3 at R3, holds L3 while the key is
/// down, and at key-up goes to L4 at R4.
package struct DX7Envelope: Equatable {
    package var outputLevel: Int
    package var rates: [Int]      // R1…R4
    package var levels: [Int]     // L1…L4

    package init(outputLevel: Int, rates: [Int], levels: [Int]) {
        self.outputLevel = outputLevel; self.rates = rates; self.levels = levels
    }

    package static let blockSeconds = 64.0 / 44100

    package static func actual(level l: Int, outputLevel ol: Int) -> Double {
        let sol = DX7Export.scaleOutLevel
        return Double(max(16, 64 * (sol(l) / 2) + 32 * sol(ol) - 4256))
    }

    /// env.cc's statics: the samples a stage pauses at rate R < 77 when its level is reached.
    static let statics = [
        1764000, 1764000, 1411200, 1411200, 1190700, 1014300, 992250, 882000, 705600, 705600, 584325, 507150, 502740,
        441000, 418950, 352800, 308700, 286650, 253575, 220500, 220500, 176400, 145530, 145530, 125685, 110250, 110250,
        88200, 88200, 74970, 61740, 61740, 55125, 48510, 44100, 37485, 31311, 30870, 27562, 27562, 22050, 18522, 17640,
        15435, 14112, 13230, 11025, 9261, 9261, 7717, 6615, 6615, 5512, 5512, 4410, 3969, 3969, 3439, 2866, 2690, 2249,
        1984, 1896, 1808, 1411, 1367, 1234, 1146, 926, 837, 837, 705, 573, 573, 529, 441, 441,
    ]

    /// The EG's level after each 64-sample block (Q24 doublings: 2^24 = one doubling), the key
    /// released in the first block starting at or after `noteOff` (s).
    func blockLevels(count blocks: Int, noteOff: Double) -> [Int] {
        let sol = DX7Export.scaleOutLevel
        let outlevel = sol(outputLevel) << 5
        var level = 0, target = 0, inc = 0, staticCount = 0, ix = 0, down = true, rising = false
        func advance(_ newIx: Int) {
            ix = newIx
            guard ix < 4 else { return }
            target = max(16, ((sol(levels[ix]) >> 1) << 6) + outlevel - 4256) << 16
            rising = target > level
            let qrate = min(63, (rates[ix] * 41) >> 6)
            staticCount = target == level ? (rates[ix] < 77 ? Self.statics[rates[ix]] : 20 * (99 - rates[ix])) : 0
            inc = (4 + (qrate & 3)) << (2 + 6 + (qrate >> 2))
        }
        advance(0)
        var out = [Int](repeating: 0, count: blocks)
        for b in 0..<blocks {
            if down && Double(b) * Self.blockSeconds >= noteOff { down = false; advance(3) }
            if staticCount > 0 {
                staticCount -= 64
                if staticCount <= 0 { staticCount = 0; advance(ix + 1) }
            }
            if ix < 3 || (ix < 4 && !down) {
                if rising {
                    level = max(level, 1716 << 16)                       // env.cc: jumptarget 1716
                    level += (((17 << 24) - level) >> 24) * inc
                    if level >= target { level = target; advance(ix + 1) }
                } else if staticCount == 0 {
                    level -= inc
                    if level <= target { level = target; advance(ix + 1) }
                }
            }
            out[b] = level
        }
        return out
    }

    /// Linear amplitude at the given times (s), the key released at `noteOff`: 2^(ℓ − 15) after
    /// each block, ℓ the level in doublings (0 at the floor, 16/256), linear between blocks.
    package func amplitudes(at times: [Double], noteOff: Double) -> [Double] {
        let end = (times.last ?? 0) + Self.blockSeconds
        let blocks = Int(end / Self.blockSeconds) + 2
        let out = blockLevels(count: blocks, noteOff: noteOff).map { $0 <= 16 << 16 ? 0 : pow(2, Double($0) / 16_777_216 - 15) }
        return times.map { t in
            let x = t / Self.blockSeconds
            let i = min(Int(x), blocks - 2)
            let w = x - Double(i)
            return out[i] + w * (out[i + 1] - out[i])
        }
    }
}
