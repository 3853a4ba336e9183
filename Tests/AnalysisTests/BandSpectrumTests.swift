import Analysis
import Foundation
import Testing

/// The band spectrum and harmonicity (fmscore's `band_frames`, `err_bands`, `harmonicity`), on
/// layouts worked by hand and tones of known make-up.
@Suite struct BandSpectrumTests {
    static let sr = 44100

    /// Σ a_i sin(2π f_i t) over `seconds`, with a 10 ms fade in and out.
    static func tone(_ partials: [(hz: Double, amplitude: Double)], seconds: Double = 1, sampleRate: Int = sr) -> [Double] {
        let n = Int(seconds * Double(sampleRate))
        return (0..<n).map { i in
            let t = Double(i) / Double(sampleRate)
            let fade = min(1, t / 0.01, (seconds - t) / 0.01)
            return fade * partials.reduce(0) { $0 + $1.amplitude * sin(2 * Double.pi * $1.hz * t) }
        }
    }

    /// n = 2^round(log2(4096·sr/44100)): 4096 at 44.1 and 48 kHz, 2048 at 22.05 kHz, 8192 at 96 kHz.
    /// At 44.1 kHz a bin is 10.77 Hz: the bands start at bin round(40/10.77) = 4 and end at
    /// round(20000/10.77) = 1858; every band is at least 2 bins, and they tile that range.
    @Test func bandLayoutByHand() {
        for (rate, size) in [(44100, 4096), (48000, 4096), (22050, 2048), (96000, 8192)] {
            #expect(BandSpectrum([Double](repeating: 0.1, count: 8192), sampleRate: rate).size == size, "\(rate) Hz")
        }
        let s = BandSpectrum(Self.tone([(440, 0.5)]), sampleRate: Self.sr)
        #expect(s.hop == 1024 && s.frameCount == 1 + 44100 / 1024)
        #expect(s.bands.first?.lowerBound == 4 && s.bands.last?.upperBound == 1858)
        // the lowest semitone edges 40, 42.4, 44.9, … Hz round to bins 4, 4, 4, 4, 5, 5, 5, 6, 6, 6,
        // 7, 7, 7, 8, 8, 9, 9, 10: merged to 2 bins, the first bands are 4..<6, 6..<8, 8..<10
        #expect(Array(s.bands.prefix(3)) == [4..<6, 6..<8, 8..<10], "\(s.bands.prefix(3))")
        #expect(zip(s.bands, s.bands.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(s.bands.allSatisfy { $0.count >= 2 })
        // a semitone is 5.9 % wide: at 10 kHz (bin 929) about 55 bins, so bands there are single
        // semitones (to a bin: both edges are rounded to bins)
        let at10k = s.bands.first { $0.contains(929) }!
        #expect(abs(Double(at10k.count) - Double(at10k.lowerBound) * (pow(2, 1.0 / 12) - 1)) <= 1)
    }

    /// Band error: 0 against itself, 0.5 for the same note at half the amplitude (every band
    /// halves), 1 for silence.
    @Test func bandErrorKnownAnswers() {
        let x = Self.tone([(440, 0.5), (880, 0.25), (1320, 0.1)])
        let s = BandSpectrum(x, sampleRate: Self.sr)
        #expect(s.error(of: x) == 0)
        #expect(abs(s.error(of: x.map { 0.5 * $0 }) - 0.5) < 1e-12)
        #expect(abs(s.error(of: [Double](repeating: 0, count: x.count)) - 1) < 1e-12)
        // a shorter candidate is zero-padded: its error is that of the padded render
        let short = Array(x.prefix(x.count / 2))
        #expect(s.error(of: short) == s.error(of: short + [Double](repeating: 0, count: x.count - short.count)))
    }

    /// Harmonics of 220 Hz alone: all the power is harmonic. With a partial at 2.5·f0 holding a
    /// fifth of the power, the share is 0.8 and that partial is listed at 550 Hz, 3.6 dB below the
    /// strongest peak (its power is 0.4375 of the fundamental's), to 0.5 dB (the peak's level is
    /// interpolated between bins).
    @Test func harmonicityOfKnownTones() throws {
        let harmonics: [(hz: Double, amplitude: Double)] = [(220, 1), (440, 0.5), (660, 0.5), (880, 0.5)]
        let pure = Harmonicity(BandSpectrum(Self.tone(harmonics), sampleRate: Self.sr), f0: 220)
        // all but the Hann window's side lobes beyond ±2 bins of each harmonic (−31 dB and falling)
        #expect(pure.share > 0.999 && pure.isHarmonicEnough && pure.partials.isEmpty, "share \(pure.share)")
        // power ∝ a²: harmonics 1 + 3·0.25 = 1.75; a partial of amplitude √0.4375 adds 0.4375,
        // 0.2 of the 2.1875 in all
        let p = 0.4375.squareRoot()
        let h = Harmonicity(BandSpectrum(Self.tone(harmonics + [(550, p)]), sampleRate: Self.sr), f0: 220)
        #expect(abs(h.share - 0.8) < 0.005, "share \(h.share)")
        #expect(!h.isHarmonicEnough)
        let partial = try #require(h.partials.first)
        #expect(abs(partial.hz - 550) < 1 && abs(partial.ratio - 2.5) < 0.005)
        #expect(abs(partial.db - 10 * log10(0.4375)) < 0.5, "\(partial.db) dB")
    }
}
