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
        var targets = levels.map { Self.actual(level: $0, outputLevel: outputLevel) / 256 }
        targets[3] = Self.actual(level: levels[3], outputLevel: outputLevel) / 256
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

    /// Fits output level, L1–L3 and R1–R4 (L4 = 0) to an envelope by coordinate search (also
    /// moving L1–L3 together, which keeps the shape and shifts the loudness, and the output level
    /// against L2 and L3, which moves the peak alone: 2 output levels = 2 EG levels = 1/4
    /// doubling). The search runs from
    /// two starts and keeps the better end: the ADSR approximation, and the best of the key-down
    /// decays drawn as two straight lines in the log domain (from the peak through the envelope's
    /// levels at two later moments, then held) — a decay in two stages, or one deeper than the
    /// ADSR's sounding part, is a local minimum away from the ADSR start. As in the spectral error,
    /// each moment's error counts relative to the whole note's level there — `loudness`, the sum
    /// of all units' envelopes (floored at −60 dB of its peak) — not to this unit's own level,
    /// which would make a tiny overshoot in the first milliseconds cost more than a wrong attack.
    package static func fit(_ e: Envelope, loudness: Envelope, duration: Double, noteOff: Double) -> DX7Envelope {
        let times = stride(from: 0.0, through: duration, by: 0.005).map { $0 }
        let target = times.map { e.value(at: $0) }
        let level = times.map { loudness.value(at: $0) }
        let peak = max(level.max() ?? 0, 1e-9)
        // absolute, not squared, relative errors: like the spectral error, whose frames count by
        // their relative error, so the few attack moments a DX7 cannot follow do not outweigh the
        // level of the whole sustain
        let weight = level.map { 1 / max($0, peak * 1e-3) }
        func cost(_ g: DX7Envelope) -> Double {
            let a = g.amplitudes(at: times, noteOff: noteOff)
            var s = 0.0
            for i in times.indices { s += weight[i] * abs(a[i] - target[i]) }
            return s
        }
        let adsr = ADSR(e, duration: duration)
        let sustain = DX7Export.level(ratio: adsr.sustain)
        let adsrStart = DX7Envelope(outputLevel: DX7Export.carrierLevel(peak: adsr.peak),
                                    rates: [DX7Export.rate(forAttack: adsr.attack),
                                            DX7Export.rate(forDecay: adsr.decay, doublings: max(0, -log2(max(adsr.sustain, 1e-6)))),
                                            99, DX7Export.rate(forDecay: adsr.release, doublings: 40 / 6.02)],
                                    levels: [99, sustain, max(0, sustain - 1), 0])
        var starts = [adsrStart]
        let keyDown = times.indices.filter { times[$0] < noteOff }
        if let iPeak = keyDown.max(by: { target[$0] < target[$1] }), target[iPeak] > 0, let last = keyDown.last {
            // twelve moments after the peak, denser early (decays are fastest there)
            var marks = [Int]()
            for k in 1...12 {
                let i = iPeak + Int((Double(last - iPeak) * pow(Double(k) / 12, 2)).rounded())
                if i > iPeak && !marks.contains(i) { marks.append(i) }
            }
            // the rate that moves from one amplitude to another in `seconds` (a rise, slowed by
            // (16 − ⌊ℓ⌋) near full scale, is taken as about three times faster than a decay)
            func rate(_ from: Double, _ to: Double, _ seconds: Double) -> Int {
                let d = log2(max(from, 1e-9) / max(to, 1e-9))
                if abs(d) < 1e-3 { return 99 }
                return DX7Export.rate(forDecay: d > 0 ? seconds : 3 * seconds, doublings: abs(d))
            }
            let p = target[iPeak]
            var lines: (DX7Envelope, Double)?
            for a in marks { for b in marks where b >= a {
                let g = DX7Envelope(outputLevel: adsrStart.outputLevel,
                                    rates: [adsrStart.rates[0], rate(p, target[a], times[a] - times[iPeak]),
                                            rate(target[a], target[b], max(times[b] - times[a], 0.005)), adsrStart.rates[3]],
                                    levels: [99, DX7Export.level(ratio: target[a] / p), DX7Export.level(ratio: target[b] / p), 0])
                let c = cost(g)
                if c < lines?.1 ?? .infinity { lines = (g, c) }
            } }
            if let (g, _) = lines, g != adsrStart { starts.append(g) }
        }
        func search(from start: DX7Envelope) -> (envelope: DX7Envelope, cost: Double) {
            var best = start, bestCost = cost(start)
            for _ in 0..<8 {
                var improved = false
                for parameter in 0..<10 {
                    for v in 0...99 {
                        var g = best
                        switch parameter {
                        case 0: g.outputLevel = v
                        case 1, 2, 3: g.levels[parameter - 1] = v
                        case 8:                                    // L1–L3 together, ±1…±8
                            let d = v - 50
                            guard abs(d) <= 8 else { continue }
                            for i in 0..<3 { g.levels[i] = min(99, max(0, best.levels[i] + d)) }
                        case 9:                                    // the peak alone: OL + 2k, L2 and L3 − 2k
                            let k = v - 50
                            guard abs(k) <= 4, k != 0 else { continue }
                            g.outputLevel = min(99, max(0, best.outputLevel + 2 * k))
                            for i in 1..<3 { g.levels[i] = min(99, max(0, best.levels[i] - 2 * k)) }
                        default: g.rates[parameter - 4] = v
                        }
                        if g == best { continue }
                        let c = cost(g)
                        if c < bestCost { best = g; bestCost = c; improved = true }
                    }
                }
                if !improved { break }
            }
            return (best, bestCost)
        }
        return starts.map(search).min { $0.cost < $1.cost }!.envelope
    }
}
