import Export
import FMSynthesis
import Testing

/// The ADSR rules of README "Exports for synths" and ADSR.swift, on hand-built envelopes whose
/// stage times are known. ADSR reads the envelope on a 1 ms grid through a 15 ms running median;
/// every threshold crossing below lies on a straight segment at least 8 ms from a corner (there
/// the median of the window is its centre value) and between two grid points, so each expected
/// value is the first (or last) grid point past a crossing computed by hand.
@Suite struct ADSRTests {
    /// 1 ms grid: times are compared to 1e-9 s (floating-point rounding of i · 0.001 only).
    static let tol = 1e-9

    /// Attack 0 → 1 in 45 ms, 20 ms at the peak, decay 65 → 170 ms down to 0.5, sustain 0.5 until
    /// 800 ms, release 800 → 927.5 ms down to 0; 1 s note.
    static let classic = (times: [0, 0.045, 0.065, 0.170, 0.800, 0.9275], values: [0, 1, 1, 0.5, 0.5, 0])

    static func check(_ a: ADSR, peak: Double) {
        // attack: 90 % of the peak (0.9) at 0.9 · 45 = 40.5 ms → first grid point 41 ms
        #expect(abs(a.attack - 0.041) < tol, "attack \(a.attack)")
        #expect(abs(a.peak - peak) < 1e-12, "peak \(a.peak)")
        // sustain: the median from the attack to the release is the 0.5 plateau (630 of 785 ms)
        #expect(abs(a.sustain - 0.5) < 1e-12, "sustain \(a.sustain)")
        // decay: within 10 % of the peak-to-sustain gap, 0.55, at 65 + 0.45/0.5 · 105 = 159.5 ms
        // → grid point 160 ms, counted from the attack's end (41 ms)
        #expect(abs(a.decay - 0.119) < tol, "decay \(a.decay)")
        // release start: the last grid point ≥ 80 % of the sounding median (0.4); the release
        // reaches 0.4 at 800 + 0.2 · 127.5 = 825.5 ms → 825 ms
        #expect(abs(a.releaseStart - 0.825) < tol, "release start \(a.releaseStart)")
        // release: 40 dB below the sustain (0.005) at 927.5 − 0.01 · 127.5 = 926.225 ms → 927 ms
        #expect(abs(a.release - 0.102) < tol, "release \(a.release)")
    }

    @Test func stagesOfAClassicEnvelope() {
        let e = Envelope(times: Self.classic.times, values: Self.classic.values)
        Self.check(ADSR(e, duration: 1), peak: 1)
    }

    /// A 4 ms spike to 2.0 in the sustain (as the deconvolution makes where a note changes
    /// abruptly) is not the peak: the 15 ms median removes it, every stage stays as above.
    @Test func aSpikeShorterThan15msIsNotThePeak() {
        var times = Self.classic.times, values = Self.classic.values
        times.insert(contentsOf: [0.3000, 0.3025, 0.3050], at: 4)
        values.insert(contentsOf: [0.5, 2.0, 0.5], at: 4)
        let e = Envelope(times: times, values: values)
        #expect(e.value(at: 0.3025) == 2)                   // the spike is there, 4 grid points above 0.5
        Self.check(ADSR(e, duration: 1), peak: 1)
    }

    /// A note that rises to 0.92 in 40 ms and then creeps up to 1.0 (reached at 780 ms, held to
    /// 800 ms) has a 40 ms attack, not a 780 ms one: 90 % of the peak (0.9) is crossed at
    /// 40 · 0.9/0.92 = 39.13 ms → 40 ms. It has no decay (the creep starts below
    /// sustain + 10 % of the gap).
    @Test func aSustainThatCreepsUpStillHasAShortAttack() {
        let e = Envelope(times: [0, 0.040, 0.780, 0.800, 0.900], values: [0, 0.92, 1, 1, 0])
        let a = ADSR(e, duration: 1)
        #expect(abs(a.peak - 1) < 1e-12)
        #expect(abs(a.attack - 0.040) < Self.tol, "attack \(a.attack)")
        #expect(abs(a.decay) < Self.tol, "decay \(a.decay)")
        // sustain: the median of the level from 40 ms to the release start. Computed here from the
        // raw segments (the running median changes only the few ms around the corners): 0.96 ± 0.002
        let raw = (40...823).map { e.value(at: Double($0) * 0.001) }.sorted()
        let median = raw[raw.count / 2]
        #expect(abs(a.sustain - median) < 0.002, "sustain \(a.sustain), hand median \(median)")
        // the release reaches 80 % of the sounding median (≈ 0.96 → 0.768) at ≈ 823 ms
        #expect(abs(a.releaseStart - 0.823) < 0.0015, "release start \(a.releaseStart)")
    }

    @Test func aSilentEnvelopeHasNoStages() {
        let a = ADSR(Envelope(times: [0, 0.5, 1], values: [0, 0, 0]), duration: 1)
        #expect(a.peak == 0 && a.attack == 0 && a.decay == 0 && a.sustain == 0 && a.release == 0)
        #expect(a.releaseStart == 1)                         // the key is held to the end
    }
}

