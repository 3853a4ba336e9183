import FFTW
import FMSynthesis
import Foundation
import Testing

@Suite struct RendererTests {
    @Test func envelopeInterpolatesAndHolds() {
        let e = Envelope(times: [0.001, 0.003], values: [1, 3])
        let v = e.render(sampleRate: 1000, count: 6)
        #expect(v == [1, 1, 2, 3, 3, 3])
    }

    /// A constant-envelope unit renders to its analytic spectrum: the DFT of an integer number of
    /// periods gives s_k at bin k·periods.
    @Test func renderHasTheUnitSpectrum() {
        let unit = FMUnit(carrier: 2, modulator1: 3, modulator2: 1, index1: 1.5, index2: 0.7, topology: .cascade)
        let sr = 44100, f0 = 440.0, n = 4410                      // exactly 44 periods
        let patch = Patch(f0: f0, units: [unit], envelopes: [Envelope(times: [0], values: [0.8])])
        let y = PatchRenderer.render(patch, sampleRate: sr, count: n)
        let fft = RealFFT(size: n)
        for i in 0..<n { fft.input[i] = y[i] }
        fft.transform()
        let s = UnitSpectrum.spectrum(unit, harmonics: 40)
        for k in 1...40 {
            let measured = -2 * fft.bin(k * 44).im / Double(n)
            #expect(abs(measured - 0.8 * s[k - 1]) < 1e-9, "harmonic \(k)")
        }
    }

    /// Sidebands above Nyquist do not fold back: all energy lies on harmonics of f0.
    @Test func aliasFree() {
        // sidebands reach c + (I1 + 3)·m1 + (I2 + 3)·m2 ≈ 72 harmonics ≈ 32 kHz > Nyquist.
        // f0 = 440 Hz does not divide the sample rate, so fold-back lands between harmonics.
        let unit = FMUnit(carrier: 15, modulator1: 4, modulator2: 3, index1: 6, index2: 4, topology: .parallel)
        let sr = 44100, f0 = 440.0, n = 44100                      // 1 Hz bins, harmonics at 440·k
        let patch = Patch(f0: f0, units: [unit], envelopes: [Envelope(times: [0], values: [1])])
        let y = PatchRenderer.render(patch, sampleRate: sr, count: n)
        let fft = RealFFT(size: n)
        for i in 0..<n { fft.input[i] = y[i] }
        fft.transform()
        var harmonicEnergy = 0.0, otherEnergy = 0.0
        for b in 1..<(n / 2) {
            let (re, im) = fft.bin(b)
            if b % 440 == 0 { harmonicEnergy += re * re + im * im } else { otherEnergy += re * re + im * im }
        }
        #expect(otherEnergy < 1e-18 * harmonicEnergy)

        // the naive oscillator at the same rate does alias (shows the test can fail)
        for i in 0..<n { fft.input[i] = unit.sample(theta: 2 * Double.pi * f0 * Double(i) / Double(sr)) }
        fft.transform()
        var naiveOther = 0.0
        for b in 1..<(n / 2) where b % 440 != 0 { let (re, im) = fft.bin(b); naiveOther += re * re + im * im }
        #expect(naiveOther > 1e-6 * harmonicEnergy)
    }

    @Test func transposedRenderKeepsTimeline() {
        let unit = FMUnit(carrier: 1, modulator1: 2, modulator2: 3, index1: 1, index2: 0.5, topology: .parallel)
        let patch = Patch(f0: 220, units: [unit], envelopes: [Envelope(times: [0, 0.1, 0.2], values: [0, 1, 0])])
        let a = PatchRenderer.render(patch, sampleRate: 8000, count: 1600)
        let b = PatchRenderer.render(patch, sampleRate: 8000, count: 1600, f0: 330)
        #expect(a.count == b.count)
        #expect(b[0] == 0 && abs(b.last!) < 1e-2)
        #expect(a != b)
    }
}
