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

    /// Below Nyquist the alias-free renderer is the FM equation itself: with sidebands that die
    /// out long before Nyquist (I1 = 1.2, I2 = 0.5: harmonics past the 50th are below 1e-16), its
    /// samples equal envelope × sin(cθ + I1 sin(m1θ + I2 sin(m2θ))) computed directly, θ = 2π f0 t.
    @Test func renderEqualsTheFMEquation() {
        for topology in [Topology.cascade, .parallel] {
            let unit = FMUnit(carrier: 2, modulator1: 3, modulator2: 1, index1: 1.2, index2: 0.5, topology: topology)
            let sr = 44100, f0 = 440.0, n = 4410
            let patch = Patch(f0: f0, units: [unit], envelopes: [Envelope(times: [0], values: [0.8])])
            let y = PatchRenderer.render(patch, sampleRate: sr, count: n)
            var worst = 0.0
            for i in 0..<n {
                let direct = 0.8 * unit.sample(theta: 2 * Double.pi * f0 * Double(i) / Double(sr))
                worst = max(worst, abs(y[i] - direct))
            }
            #expect(worst < 1e-9, "\(topology): worst sample difference \(worst)")
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

    /// A render at another f0 plays that pitch on the same timeline: every sample equals
    /// envelope(t) × unit(2π·330·t), where the envelope is the patch's (0 → 1 at 0.1 s → 0 at 0.2 s).
    @Test func transposedRenderKeepsTimeline() {
        let unit = FMUnit(carrier: 1, modulator1: 2, modulator2: 3, index1: 1, index2: 0.5, topology: .parallel)
        let envelope = Envelope(times: [0, 0.1, 0.2], values: [0, 1, 0])
        let patch = Patch(f0: 220, units: [unit], envelopes: [envelope])
        let sr = 44100, n = 11025                                    // 0.25 s: the envelope ends at 0.2 s
        for f0 in [220.0, 330.0] {
            let y = PatchRenderer.render(patch, sampleRate: sr, count: n, f0: f0 == 220 ? nil : f0)
            #expect(y.count == n)
            var worst = 0.0
            for i in 0..<n {
                let t = Double(i) / Double(sr)
                worst = max(worst, abs(y[i] - envelope.value(at: t) * unit.sample(theta: 2 * Double.pi * f0 * t)))
            }
            #expect(worst < 1e-9, "f0 \(f0): worst sample difference \(worst)")   // harmonics past the 66th < 1e-20
        }
    }

    /// A dynamic unit is the phase-modulation oscillator with moving indices: its samples equal
    /// a(t) × sin(cθ + I1(t) sin(m1θ + I2(t) sin(m2θ))) computed directly, with I1 rising from
    /// 0.3 to 3 rad in 0.1 s and falling to 1.5 rad, I2 falling from 1 to 0.2 (sidebands below
    /// Nyquist: f0 = 220 Hz, harmonics past the 60th < 1e-12). Tolerance 1e-4 (of a unit
    /// amplitude): the spectrum is interpolated over 32-sample steps broken at the breakpoints
    /// (I1 moves ≤ 0.02 rad per step; worst seen 4e-5; without the breaks at the corners 1e-3).
    @Test func dynamicIndicesFollowTheirEnvelopes() {
        for topology in [Topology.cascade, .parallel] {
            let unit = FMUnit(carrier: 1, modulator1: 2, modulator2: 1, index1: 1.5, index2: 0.5, topology: topology)
            let moving = IndexEnvelopes(index1: Envelope(times: [0, 0.1, 0.3], values: [0.3, 3, 1.5]),
                                        index2: Envelope(times: [0, 0.4], values: [1, 0.2]))
            let amplitude = Envelope(times: [0, 0.02, 0.4], values: [0, 0.8, 0.5])
            let sr = 44100, f0 = 220.0, n = 22050
            let patch = Patch(f0: f0, units: [unit], envelopes: [amplitude], indexEnvelopes: [moving])
            let y = PatchRenderer.render(patch, sampleRate: sr, count: n)
            var worst = 0.0, staticWorst = 0.0
            for i in 0..<n {
                let t = Double(i) / Double(sr), theta = 2 * Double.pi * f0 * t
                let direct = amplitude.value(at: t) * moving.unit(unit, at: t).sample(theta: theta)
                worst = max(worst, abs(y[i] - direct))
                staticWorst = max(staticWorst, abs(amplitude.value(at: t) * unit.sample(theta: theta) - direct))
            }
            #expect(worst < 1e-4, "\(topology): worst sample difference \(worst)")
            #expect(staticWorst > 0.1, "the moving indices change the waveform")
        }
    }
}
