import FMSynthesis
import Foundation
import Testing

/// Renders of a moving pitch (PitchCurve) against the phase integral worked out by hand.
@Suite struct PitchCurveRenderTests {
    static let sr = 44100
    /// A plain sine: carrier 1, no modulation, amplitude 1 throughout.
    static func sine(f0: Double, pitch: PitchCurve?) -> Patch {
        Patch(f0: f0, units: [FMUnit(carrier: 1, modulator1: 1, modulator2: 1, index1: 0, index2: 0, topology: .parallel)],
              envelopes: [Envelope(times: [0], values: [1])], pitch: pitch)
    }

    static func worst(_ y: [Double], _ phase: (Double) -> Double) -> Double {
        y.indices.reduce(0) { max($0, abs($1 == 0 ? y[0] : y[$1] - sin(2 * Double.pi * phase(Double($1) / Double(sr))))) }
    }

    /// A glide held at +100 cents plays f0·2^(1/12): sin(2π f t) to 1e-9.
    @Test func aHeldGlideTransposes() {
        let c = PitchCurve(glide: Envelope(times: [0], values: [100]))
        let y = PatchRenderer.render(Self.sine(f0: 440, pitch: c), sampleRate: Self.sr, count: Self.sr)
        let f = 440 * pow(2, 1.0 / 12)
        #expect(Self.worst(y, { f * $0 }) < 1e-9)
    }

    /// An octave glide over 1 s (linear in cents): phase ∫ f0·2^t dt = f0 (2^t − 1)/ln 2 cycles,
    /// less the accumulator's (f(t) − f(0))/(2·sr) (Euler–Maclaurin; the next term,
    /// f′/(12·sr²), is < 1e-6 cycles here): to 1e-6.
    @Test func anOctaveGlideFollowsThePhaseIntegral() {
        let c = PitchCurve(glide: Envelope(times: [0, 1], values: [0, 1200]))
        let y = PatchRenderer.render(Self.sine(f0: 440, pitch: c), sampleRate: Self.sr, count: Self.sr)
        let sr = Double(Self.sr)
        #expect(Self.worst(y, { 440 * (pow(2, $0) - 1) / log(2) - 440 * (pow(2, $0) - 1) / (2 * sr) }) < 1e-6)
    }

    /// A vibrato with a drifting phase and a fading-in depth: the render's phase is the integral
    /// of f = f0·2^(cents/1200), here by Simpson's rule on 1/64-sample steps (exact to 1e-12), less
    /// the accumulator's (f(t) − f(0))/(2·sr) (anOctaveGlideFollowsThePhaseIntegral), to 1e-5
    /// (the curve's corners — breakpoints between samples — add ~f′ jumps/(12·sr²)).
    @Test func aVibratoFollowsThePhaseIntegral() {
        let v = Vibrato(rate: 5.5, depth: Envelope(times: [0.1, 0.3, 0.5], values: [0, 20, 18]),
                        phase: Envelope(times: [0.1, 0.3, 0.5], values: [0.1, 0.1, 0.3]))
        let c = PitchCurve(glide: Envelope(times: [0, 0.05], values: [-40, 0]), vibrato: v)
        let n = Self.sr / 2
        let y = PatchRenderer.render(Self.sine(f0: 440, pitch: c), sampleRate: Self.sr, count: n)
        var integral = [0.0]
        let h = 1 / Double(Self.sr) / 64
        func f(_ t: Double) -> Double { 440 * pow(2, c.cents(at: t) / 1200) }
        for i in 0..<(n - 1) {
            var s = 0.0
            for j in 0..<64 {
                let a = (Double(i) * 64 + Double(j)) * h
                s += h / 6 * (f(a) + 4 * f(a + h / 2) + f(a + h))
            }
            integral.append(integral[i] + s)
        }
        let sr = Double(Self.sr)
        let worst = y.indices.reduce(0.0) { m, i in
            let shift = (f(Double(i) / sr) - f(0)) / (2 * sr)
            return max(m, abs(y[i] - sin(2 * Double.pi * (integral[i] - shift))))
        }
        #expect(worst < 1e-5, "worst \(worst)")
    }

    /// Alias-free as the pitch moves: a patch held an octave up plays only the harmonics below
    /// Nyquist at that pitch — the same samples as the patch at 2·f0 (at 5 kHz: harmonics 1 and 2
    /// of 10 kHz; the third, 30 kHz, is not played).
    @Test func theSeriesStopsBelowNyquistAtTheHighestPitch() {
        let bright = FMUnit(carrier: 1, modulator1: 1, modulator2: 2, index1: 3, index2: 1, topology: .parallel)
        let up = Patch(f0: 5000, units: [bright], envelopes: [Envelope(times: [0], values: [1])],
                       pitch: PitchCurve(glide: Envelope(times: [0], values: [1200])))
        let plain = Patch(f0: 10000, units: [bright], envelopes: [Envelope(times: [0], values: [1])])
        let a = PatchRenderer.render(up, sampleRate: Self.sr, count: 4410)
        let b = PatchRenderer.render(plain, sampleRate: Self.sr, count: 4410)
        #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-8 })
        #expect(PatchRenderer.harmonicsBelowNyquist(f0: 10000, sampleRate: Self.sr) == 2)
    }
}
