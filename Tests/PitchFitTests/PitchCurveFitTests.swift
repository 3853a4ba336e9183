import Analysis
import AudioIO
import FMSynthesis
import Foundation
import PitchFit
import Testing
import TestSupport

/// The pitch curve fitted to tones of known pitch curves (PitchCurveFit via
/// TargetAnalysis.followingPitch), and the harmonics measured along it.
@Suite struct PitchCurveFitTests {
    static let amplitudes = [1.0, 0.6, 0.4, 0.3, 0.2, 0.1]

    static func scoopAndVibrato(_ t: Double) -> Double { PitchCurves.scoopAndVibrato(t) }
    static func fall(_ t: Double) -> Double { PitchCurves.fall(t) }

    static func fitted(_ x: [Double], f0: Double = 440) throws -> (TargetAnalysis, PitchCurve?) {
        let a = try TargetAnalysis.analyse(Audio(samples: x, sampleRate: 44100), f0: f0)
        let (following, curve) = a.followingPitch(of: x)
        return (following, curve)
    }

    /// RMS of curve − truth over [from, to] s, every ms.
    static func rms(_ c: PitchCurve, _ truth: (Double) -> Double, from: Double, to: Double) -> Double {
        let t = stride(from: from, through: to, by: 0.001).map { $0 }
        return (t.reduce(0) { $0 + pow(c.cents(at: $1) - truth($1), 2) } / Double(t.count)).squareRoot()
    }

    /// Scoop and vibrato: the vibrato's rate within 0.05 Hz and its depth within 1 cent (the
    /// issue asks 0.2 Hz and 3 cents of a whole match; measured 0.002 Hz and 0.02 cents); silent until 0.2 s, fading in over a cycle and at full depth (within
    /// 3 cents) by 0.45 s (the truth starts at 0.3 s at full depth); the whole curve within 1.5 cents RMS of
    /// the truth after the attack (a 23 ms window blurs the scoop's corner), and the scoop's
    /// start at least 25 cents below.
    @Test func scoopAndVibratoAreFitted() throws {
        let x = Tones.gliding(f0: 440, cents: Self.scoopAndVibrato, amplitudes: Self.amplitudes, sampleRate: 44100, seconds: 1.5)
        let c = try #require(try Self.fitted(x).1)
        let v = try #require(c.vibrato)
        #expect(abs(v.rate - 5.5) < 0.05, "rate \(v.rate) Hz")
        #expect(abs(v.typicalDepth - 20) < 1, "depth \(v.typicalDepth) cents")
        #expect(v.onset >= 0.2 && v.onset < 0.3, "onset \(v.onset) s")
        #expect(abs(v.depth.value(at: 0.45) - 20) < 3, "depth at 0.45 s: \(v.depth.value(at: 0.45)) cents")
        let error = Self.rms(c, Self.scoopAndVibrato, from: 0.06, to: 1.4)
        #expect(error < 1.5, "curve within \(error) cents RMS")
        #expect(c.cents(at: 0.012) < -25, "scoop starts at \(c.cents(at: 0.012)) cents")
    }

    /// A 300-cent fall over 0.4 s as the tone decays: a glide that never rises (the issue's
    /// "monotonically falling pitch curve"), within 5 cents RMS of the truth, and no vibrato.
    @Test func aDrumFallIsMonotone() throws {
        let n = 44100
        var x = Tones.gliding(f0: 220, cents: Self.fall, amplitudes: Self.amplitudes, sampleRate: 44100, seconds: 1)
        for i in 0..<n { x[i] *= exp(-Double(i) / 44100 / 0.25) }
        let c = try #require(try Self.fitted(x, f0: 220).1)
        #expect(c.vibrato == nil)
        let g = c.glide.values
        #expect(zip(g, g.dropFirst()).allSatisfy { $1 <= $0 + 1e-9 }, "glide \(g)")
        let error = Self.rms(c, Self.fall, from: 0.02, to: 0.8)
        #expect(error < 5, "fall within \(error) cents RMS")
        #expect(g.count <= PitchCurveFit.maxGlidePoints)
    }

    /// A steady tone has no curve, and its analysis is the fixed one (measured around k·f0).
    @Test func aSteadyToneHasNoCurve() throws {
        let x = Tones.gliding(f0: 330, cents: { _ in 0 }, amplitudes: Self.amplitudes, sampleRate: 44100, seconds: 1)
        let (a, c) = try Self.fitted(x, f0: 330)
        #expect(c == nil)
        #expect(a.pitchCentres == nil)
    }

    /// Harmonics measured along the curve: a vibrato tone's 6 harmonics read their amplitudes
    /// (within 2 %) in every frame of the held note, where measuring around k·f0 loses the
    /// highest ones' peaks at the vibrato's extremes (a ±40-cent swing moves harmonic 6 by ±1.4 %
    /// of its frequency, beyond the nearest-peak rule's reach at 2× zero padding).
    @Test func harmonicsAreMeasuredAlongTheCurve() throws {
        let wide: (Double) -> Double = { 40 * sin(2 * Double.pi * 6 * $0) }
        let x = Tones.gliding(f0: 440, cents: wide, amplitudes: Self.amplitudes, sampleRate: 44100, seconds: 1.2)
        let (a, c) = try Self.fitted(x)
        #expect(c != nil)
        let K = a.harmonicCount
        var worst = 0.0
        for t in 0..<a.frameCount where a.frameTime(t) > 0.1 && a.frameTime(t) < 1.05 {
            for k in 0..<6 { worst = max(worst, abs(a.amplitudes[t * K + k] / Self.amplitudes[k] - 1)) }
        }
        #expect(worst < 0.02, "worst harmonic off by \(worst * 100) %")
    }

    /// A curve that moves the harmonics too little to matter (a ±6-cent vibrato changes the tracks
    /// by well under 1 %) is played but not followed: the analysis is the fixed one, to the bit.
    /// One that matters (a ±40-cent vibrato, whose harmonic 6 the search around k·f0 loses) is
    /// followed.
    @Test func onlyACurveThatMattersIsFollowed() throws {
        let slight = Tones.gliding(f0: 440, cents: { 6 * sin(2 * Double.pi * 5.5 * $0) }, amplitudes: Self.amplitudes,
                                   sampleRate: 44100, seconds: 1.2)
        let fixed = try TargetAnalysis.analyse(Audio(samples: slight, sampleRate: 44100), f0: 440)
        let (a, c) = try Self.fitted(slight)
        #expect(c?.vibrato != nil)
        #expect(a.amplitudes == fixed.amplitudes && a.pitchCentres == nil)
        let curve = try #require(c)
        let moved = fixed.following(slight, centres: (0..<fixed.frameCount).map { 440 * pow(2, curve.cents(at: fixed.frameTime($0)) / 1200) })
        #expect(fixed.relativeSpectralError(moved.amplitudes) < TargetAnalysis.followingMatters)

        let wide = Tones.gliding(f0: 440, cents: { 40 * sin(2 * Double.pi * 6 * $0) }, amplitudes: Self.amplitudes,
                                 sampleRate: 44100, seconds: 1.2)
        let fixedWide = try TargetAnalysis.analyse(Audio(samples: wide, sampleRate: 44100), f0: 440)
        let (b, _) = try Self.fitted(wide)
        #expect(b.pitchCentres != nil && fixedWide.relativeSpectralError(b.amplitudes) >= TargetAnalysis.followingMatters)
    }
}
