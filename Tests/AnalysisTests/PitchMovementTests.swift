import Analysis
import AudioIO
import Foundation
import Testing
import TestSupport

/// The pitch track and its summary (PitchTrack, PitchMovement) on tones of known pitch curves.
@Suite struct PitchMovementTests {
    static let amplitudes = [1.0, 0.6, 0.4, 0.3, 0.2, 0.1]

    /// Issue 13's test curve: a 40-cent attack scoop over 50 ms (linear from −40 cents to the held
    /// pitch), then from 0.3 s a 5.5 Hz vibrato of ±20 cents.
    static func scoopAndVibrato(_ t: Double) -> Double { PitchCurves.scoopAndVibrato(t) }

    static func analyse(_ x: [Double], f0: Double = 440) throws -> (TargetAnalysis, PitchMovement) {
        let a = try TargetAnalysis.analyse(Audio(samples: x, sampleRate: 44100), f0: f0)
        return (a, a.pitchMovement(of: x))
    }

    /// The track follows the curve: within 0.5 cents where the pitch is held, and within 1.5 cents
    /// RMS of the curve through the vibrato (a 23 ms window averages a 5.5 Hz swing by < 1 %).
    @Test func theTrackFollowsAKnownCurve() throws {
        let x = Tones.gliding(f0: 440, cents: Self.scoopAndVibrato, amplitudes: Self.amplitudes, sampleRate: 44100, seconds: 1.5)
        let (a, p) = try Self.analyse(x)
        var held = [Double](), swing = [Double]()
        for t in 0..<a.frameCount where p.cents[t].isFinite {
            let time = a.frameTime(t)
            if time > 0.1 && time < 0.27 { held.append(abs(p.cents[t])) }
            if time > 0.35 && time < 1.4 { swing.append(p.cents[t] - Self.scoopAndVibrato(time)) }
        }
        #expect(held.count > 20 && swing.count > 100)
        #expect(held.max()! < 0.5, "held pitch off by \(held.max()!) cents")
        let rms = (swing.reduce(0) { $0 + $1 * $1 } / Double(swing.count)).squareRoot()
        #expect(rms < 1.5, "vibrato tracked within \(rms) cents RMS")
    }

    /// The vibrato's rate within 0.05 Hz, its depth within 3 cents and its onset within 50 ms;
    /// the scoop from below by 15–40 cents, settled by 30–90 ms (its reading starts with the
    /// first window wholly in the note, 12 ms in, where the curve is at −31 cents, and a 23 ms
    /// window averages it).
    @Test func vibratoAndScoopAreRecovered() throws {
        let x = Tones.gliding(f0: 440, cents: Self.scoopAndVibrato, amplitudes: Self.amplitudes, sampleRate: 44100, seconds: 1.5)
        let p = try Self.analyse(x).1
        let v = try #require(p.vibrato)
        #expect(abs(v.rate - 5.5) < 0.05, "rate \(v.rate) Hz")
        #expect(abs(v.depth - 20) < 3, "depth \(v.depth) cents")
        #expect(abs(v.onset - 0.3) < 0.05, "onset \(v.onset) s")
        let s = try #require(p.scoop)
        #expect(s.cents <= -15, "scoop \(s.cents) cents")
        #expect(s.cents >= -40, "scoop \(s.cents) cents")
        #expect(s.settle >= 0.03 && s.settle <= 0.09, "settled after \(s.settle) s")
    }

    /// A steady tone: no deviation, no vibrato, no scoop; a pitch that falls 300 cents through the
    /// note (a tom): no vibrato and no scoop either (it never settles), a range of about 300 cents.
    @Test func steadyAndFallingTones() throws {
        let steady = try Self.analyse(Tones.gliding(f0: 440, cents: { _ in 0 }, amplitudes: Self.amplitudes,
                                                    sampleRate: 44100, seconds: 1)).1
        #expect(steady.deviation < 0.1 && steady.vibrato == nil && steady.scoop == nil, "\(steady)")
        let falling = try Self.analyse(Tones.gliding(f0: 200, cents: { -300 * min($0 / 0.8, 1) }, amplitudes: Self.amplitudes,
                                                     sampleRate: 44100, seconds: 1), f0: 200).1
        #expect(falling.vibrato == nil && falling.scoop == nil, "\(falling)")
        #expect(falling.high - falling.low > 250, "range \(falling.low)…\(falling.high) cents")
    }

    /// fmevolve's deviation is fmscore's `pitch_dev_cents` on every bundled note (same track, frames,
    /// active frames and median), to 0.01 cents.
    @Test(arguments: try Paths.manifest().map(\.file))
    func deviationAgreesWithFmscore(file: String) throws {
        let path = file
        let audio = try AudioReader.read(path: path)
        let ours = try TargetAnalysis.analyse(audio).pitchMovement(of: audio.samples).deviation
        let theirs = try #require(try fmscoreReport(target: path, candidate: path)["pitch_dev_cents"] as? Double)
        #expect(abs(ours - theirs) < 0.01, "\(file): \(ours) against fmscore's \(theirs) cents")
    }
}
