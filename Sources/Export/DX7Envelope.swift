import FMSynthesis
import Foundation

/// The DX7 envelope generator as Dexed's msfa engine runs it (env.cc), and a fit of its rates
/// and levels to an amplitude envelope.
///
/// Levels are logarithmic: one unit of `actual` is 1/256 of a doubling, and a carrier's output
/// is 2^(actual/256 − 15) (Dexed: one carrier at output level 99, EG level 99 peaks at 1.0),
/// actual = max(16, 64·⌊scaleoutlevel(L)/2⌋ + 32·scaleoutlevel(OL) − 4256). The EG advances
/// once per 64-sample block at 44.1 kHz: a decay moves down D(R) doublings per second
/// (DX7Export.speed), linearly in the log domain; a rise first jumps to 1716/256 = 6.703
/// doublings (−50 dB) and then climbs (16 − ⌊ℓ⌋)·D(R)/(blocks per second) doublings per block.
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

    /// Linear amplitude at the given times (s), the key released at `noteOff`.
    package func amplitudes(at times: [Double], noteOff: Double) -> [Double] {
        let end = (times.last ?? 0) + Self.blockSeconds
        let blocks = Int(end / Self.blockSeconds) + 2
        var ell = 0.0                                   // doublings
        var stage = 0
        var out = [Double](repeating: 0, count: blocks)
        let targets = levels.map { Self.actual(level: $0, outputLevel: outputLevel) / 256 }
        let perBlock = rates.map { DX7Export.speed(rate: $0) * Self.blockSeconds }
        var released = false
        for b in 0..<blocks {
            let t = Double(b) * Self.blockSeconds
            if !released && t >= noteOff { released = true; stage = 3 }
            if stage < 3 || released {
                let target = targets[stage]
                if target > ell {
                    if ell < 1716.0 / 256 { ell = 1716.0 / 256 }          // env.cc: jumptarget 1716
                    ell += (16 - ell.rounded(.down)) * perBlock[stage]
                    if ell >= target { ell = target; if stage < 2 { stage += 1 } else if stage == 2 { stage = 2 } }
                } else if target < ell {
                    ell -= perBlock[stage]
                    if ell <= target { ell = target; if stage < 2 { stage += 1 } }
                } else if stage < 2 {
                    stage += 1
                }
            }
            out[b] = ell <= 16.0 / 256 + 1e-9 ? 0 : pow(2, ell - 15)
        }
        return times.map { t in
            let x = t / Self.blockSeconds
            let i = min(Int(x), blocks - 2)
            let w = x - Double(i)
            return out[i] + w * (out[i + 1] - out[i])
        }
    }
}
