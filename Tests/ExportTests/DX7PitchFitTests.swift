import Export
import FMSynthesis
import Foundation
import Testing

/// The pitch EG fitted to known glides and the LFO to a known vibrato (DX7PitchFit, DX7Pitch),
/// and what DX7Playback makes of them.
@Suite struct DX7PitchFitTests {
    static let duration = 2.0, noteOff = 1.8
    static var blocks: Int { Int((duration / (64.0 / 44100)).rounded(.up)) }
    /// The blocks while the key is down: after key-up the EG heads back to L4, where the note
    /// started — a DX7 cannot hold the glide's end there (at R4 0, 56 cents/s, the slowest).
    static var keyDown: [Double] { (0..<blocks).map { (Double($0) + 0.5) * 64 / 44100 < noteOff ? 1 : 0 } }

    static func glide(_ points: [(Double, Double)]) -> Envelope {
        Envelope(times: points.map(\.0), values: points.map(\.1))
    }

    /// The fit's RMS (cents, key down) and its largest difference after `settled` s, block by block.
    static func fitted(_ g: Envelope, settled: Double = 0) -> (envelope: DX7PitchEnvelope, rms: Double, late: Double, cents: [Double]) {
        let fit = DX7PitchEnvelope.fit(g, weight: keyDown, duration: duration, noteOff: noteOff)
        let c = fit.envelope.blockCents(count: blocks, noteOff: noteOff)
        var late = 0.0
        for b in 0..<blocks where (Double(b) + 0.5) * 64 / 44100 >= settled { late = max(late, abs(c[b] - g.value(at: (Double(b) + 0.5) * 64 / 44100))) }
        return (fit.envelope, fit.rms, late, c)
    }

    /// A brass scoop from −40 cents to the note in 50 ms (and in 150 ms), held: the EG starts at
    /// L4 49 (−37.5 cents, the nearest level) and rises to 50; within 1 cent RMS while the key is
    /// down (measured 0.10 and 0.57) and exact once settled.
    @Test(arguments: [0.05, 0.15])
    func aScoop(settles: Double) {
        let g = Self.glide([(0, -40), (settles, 0), (2, 0)])
        let f = Self.fitted(g, settled: settles + 0.02)
        print("scoop settling in \(settles) s: \(f.envelope), RMS \(f.rms) cents")
        #expect(f.envelope.levels[3] == 49)
        #expect(abs(f.cents[0] + 40) <= 3, "the note starts near −40 cents: \(f.cents[0])")
        #expect(f.rms <= 1, "RMS \(f.rms) cents")
        let keyDown = Int(Self.noteOff / (64.0 / 44100))
        #expect(f.cents[Int((settles + 0.03) / (64.0 / 44100))..<keyDown].allSatisfy { $0 == 0 })
    }

    /// A drum's fall of 300 cents over 0.4 s, straight and as a decay (half the way in 0.1 s):
    /// L4 58 (+300, exact) falling to 50, in up to three straight stages; within 2 cents RMS
    /// (measured 0.70 and 1.62) and monotone.
    @Test(arguments: ["straight", "decay"])
    func aFall(shape: String) {
        let points: [(Double, Double)] = shape == "straight"
            ? [(0, 300), (0.4, 0), (2, 0)]
            : stride(from: 0.0, through: 0.4, by: 0.02).map { t in (t, 300 * (exp(-t / 0.144) - exp(-0.4 / 0.144)) / (1 - exp(-0.4 / 0.144))) } + [(2, 0)]
        let f = Self.fitted(Self.glide(points))
        print("\(shape) fall: \(f.envelope), RMS \(f.rms) cents")
        #expect(f.envelope.levels[3] == 58)
        #expect(f.rms <= 2, "RMS \(f.rms) cents")
        let keyDown = Int(Self.noteOff / (64.0 / 44100))
        #expect(zip(f.cents.prefix(keyDown), f.cents.prefix(keyDown).dropFirst()).allSatisfy { $0 >= $1 }, "the fall is monotone")
        #expect(f.cents[keyDown - 1] == 0)
    }

    static let vibrato = Vibrato(rate: 5.5, depth: Envelope(times: [0.3, 0.48, 2], values: [0, 20, 20]),
                                 phase: Envelope(times: [0.3, 0.48, 2], values: [0, 0, 0]))

    /// A vibrato of 5.5 Hz, ±20 cents, from 0.3 s, full by 0.48 s: the sine LFO, key sync, a speed
    /// either side of 5.5 Hz (33: 5.49 Hz, 34: 5.62 Hz), a peak deviation within 0.25 cents of
    /// 20 (steps of 0.18–0.6 cents), and a depth that is still off at 0.2 s and full by 0.7 s, within
    /// 3 cents RMS of the vibrato's depth (the delay's fade-in takes 0.33–0.67 s up to here).
    @Test func aVibrato() {
        let lfo = DX7Pitch.fitLFO(Self.vibrato, weight: Self.keyDown)
        let depth = lfo.blockDepths(count: Self.blocks).map { lfo.peakCents * Double($0) / 16_777_216 }
        func at(_ t: Double) -> Double { depth[Int(t / (64.0 / 44100))] }
        var s = 0.0
        for b in 0..<Self.blocks { let t = (Double(b) + 0.5) * 64 / 44100; s += pow(depth[b] - (t < 0.3 ? 0 : Self.vibrato.depth.value(at: t)), 2) }
        let rms = (s / Double(Self.blocks)).squareRoot()
        print("vibrato: \(lfo), \(DX7LFO.frequency(speed: lfo.speed)) Hz, peak \(lfo.peakCents) cents, depth RMS \(rms) cents")
        #expect(lfo.wave == 4 && lfo.sync)
        #expect([33, 34].contains(lfo.speed), "speed \(lfo.speed)")
        #expect(abs(lfo.peakCents - 20) <= 0.25, "peak \(lfo.peakCents) cents")
        #expect(at(0.2) == 0 && at(0.7) == lfo.peakCents, "depth \(at(0.2)) at 0.2 s, \(at(0.7)) at 0.7 s")
        #expect(rms <= 3, "depth RMS \(rms) cents")
    }

    /// What DX7Playback makes of a voice's pitch EG and LFO is what they play: its PitchCurve at
    /// every block's centre within 0.05 cents of the simulated blocks (the EG's corners, the LFO's
    /// rate, depth ramp and key-synced phase), and the bytes carry them.
    @Test func thePlayedPitchIsTheSimulatedOne() {
        var v = DX7CartridgeTests.voice()
        let curve = PitchCurve(glide: Self.glide([(0, -40), (0.05, 0), (2, 0)]), vibrato: Self.vibrato)
        v.pitch = DX7Pitch.fit(curve, weight: Self.keyDown, duration: Self.duration, noteOff: v.noteOff)
        let played = DX7Playback.patch(v, f0: 440, duration: Self.duration).pitch
        let blocks = v.pitch.blockCents(count: Self.blocks, noteOff: v.noteOff)
        var worst = 0.0
        for b in 0..<Self.blocks { worst = max(worst, abs((played?.cents(at: (Double(b) + 0.5) * 64 / 44100) ?? 0) - blocks[b])) }
        #expect(played?.vibrato != nil && worst <= 0.05, "largest difference \(worst) cents")
        let p = DX7Export.packed(v), lfo = v.pitch.lfo
        #expect(Array(p[102...109]) == (v.pitch.envelope.rates + v.pitch.envelope.levels).map(UInt8.init))
        #expect(Array(p[112...116]) == [UInt8(lfo.speed), UInt8(lfo.delay), UInt8(lfo.pmd), 0, UInt8(1 | 4 << 1 | lfo.pms << 4)])
        #expect(DX7Playback.patch(DX7CartridgeTests.voice(), f0: 440, duration: 2).pitch == nil)
    }
}
