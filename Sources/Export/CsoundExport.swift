import FMSynthesis
import Foundation

/// A self-contained Csound file (.csd) that plays the patch with explicit oscillators.
///
/// Every unit is computed from one phase θ (cycles of f0, `phasor`) as in fmevolve's equations,
/// through an interpolating lookup of a 65536-point sine table (`tablei`, wrap mode):
///   parallel  sin(2π(c·θ) + I1·sin(2π m1 θ) + I2·sin(2π m2 θ))
///   cascade   sin(2π(c·θ) + I1·sin(2π m1 θ + I2·sin(2π m2 θ)))
/// (indices in radians; a table index in cycles is radians/2π). Each unit's fitted envelope is a
/// table of its breakpoint values (GEN −2, one per analysis frame, not normalised), read with
/// linear interpolation at the hop rate: the same envelope fmevolve renders. Csound's oscillators
/// are plain FM, so sidebands above Nyquist would fold back: the file renders at the target's
/// rate times the smallest factor (1, 2, 4 or 8) that puts the patch's significant sidebands
/// (above -80 dB) below Nyquist; resample the output to taste.
package enum CsoundExport {
    static func csd(_ file: PatchFile, outputName: String) -> String {
        let patch = file.patch()
        let factor = oversampling(patch, sampleRate: file.sampleRate)
        let sr = file.sampleRate * factor
        // envelopes on a uniform grid (fmevolve's own breakpoints already are: one per frame)
        let hop = uniformStep(patch)
        let points = Int((file.duration / hop).rounded(.up)) + 1
        var orc = """
        sr = \(sr)
        ksmps = 1
        nchnls = 1
        0dbfs = 1

        giSine ftgen 0, 0, 65536, 10, 1

        """
        for (j, e) in patch.envelopes.enumerated() {
            let values = (0..<points).map { fmt(e.value(at: Double($0) * hop)) }
            // GEN -2 with a negative size: any length, values as given
            orc += "giEnv\(j + 1) ftgen 0, 0, -\(values.count), -2, \(values.joined(separator: ", "))\n"
        }
        orc += """

        instr 1
          ; p4: f0 (Hz), p5: envelope hop (s)
          aTheta phasor p4
          aFrame line 0, p3, p3 / p5
          aOut = 0

        """
        for (j, u) in file.units.enumerated() {
            let n = j + 1
            orc += "  ; unit \(n): carrier \(u.carrier), modulators \(u.modulator1) and \(u.modulator2), indices \(fmt(u.index1)) and \(fmt(u.index2)) rad, \(u.topology)\n"
            orc += "  aM2_\(n) tablei aTheta * \(u.modulator2), giSine, 1, 0, 1\n"
            if u.topology == "cascade" {
                orc += "  aM1_\(n) tablei aTheta * \(u.modulator1) + aM2_\(n) * \(fmt(u.index2 / (2 * .pi))), giSine, 1, 0, 1\n"
                orc += "  aC_\(n) tablei aTheta * \(u.carrier) + aM1_\(n) * \(fmt(u.index1 / (2 * .pi))), giSine, 1, 0, 1\n"
            } else {
                orc += "  aM1_\(n) tablei aTheta * \(u.modulator1), giSine, 1, 0, 1\n"
                orc += "  aC_\(n) tablei aTheta * \(u.carrier) + aM1_\(n) * \(fmt(u.index1 / (2 * .pi))) + aM2_\(n) * \(fmt(u.index2 / (2 * .pi))), giSine, 1, 0, 1\n"
            }
            orc += "  aE_\(n) tablei aFrame, giEnv\(n), 0, 0, 0\n"
            orc += "  aOut = aOut + aC_\(n) * aE_\(n)\n\n"
        }
        orc += "  out aOut\nendin\n"
        return """
        <CsoundSynthesizer>
        ; \(file.name): \(file.units.count)-carrier double-modulator FM patch matched by fmevolve \(file.fmevolveVersion)
        ; (err \(fmt(file.err))). Render: csound -o out.wav \(outputName).csd
        <CsOptions>
        -d -W -f -o \(outputName).wav
        </CsOptions>
        <CsInstruments>
        \(orc)
        </CsInstruments>
        <CsScore>
        i 1 0 \(fmt(file.duration)) \(fmt(file.f0)) \(fmt(hop))
        e
        </CsScore>
        </CsoundSynthesizer>

        """
    }

    /// The smallest spacing of the breakpoints (s), at least 1 ms.
    static func uniformStep(_ patch: Patch) -> Double {
        var step = Double.infinity
        for e in patch.envelopes where e.times.count > 1 {
            for i in 1..<e.times.count where e.times[i] > e.times[i - 1] { step = min(step, e.times[i] - e.times[i - 1]) }
        }
        return step.isFinite ? max(step, 0.001) : 0.01
    }

    /// The smallest factor (1, 2, 4, 8) for which every harmonic of the patch above −80 dB of its
    /// strongest lies below the render's Nyquist frequency.
    package static func oversampling(_ patch: Patch, sampleRate: Int) -> Int {
        var highest = 0
        for u in patch.units {
            let K = Int(Double(sampleRate) * 8 / 2 / patch.f0)
            let s = UnitSpectrum.spectrum(u, harmonics: max(K, 1))
            let peak = s.map(abs).max() ?? 0
            if let k = s.lastIndex(where: { abs($0) > peak * 1e-4 }) { highest = max(highest, k + 1) }
        }
        for factor in [1, 2, 4, 8] where Double(highest) * patch.f0 < Double(sampleRate * factor) / 2 { return factor }
        return 8
    }

    /// Full precision, no exponent surprises for Csound's parser.
    static func fmt(_ x: Double) -> String {
        if x == 0 { return "0" }
        return String(format: "%.10g", x)
    }
}
