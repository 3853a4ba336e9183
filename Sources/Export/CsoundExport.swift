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
///
/// Dynamic units (index envelopes) play I1(t), I2(t) in radians from `linseg`, one per moving
/// index: its points are the envelope's breakpoints moved onto the render's sample grid
/// (SampleGridEnvelope), so that at every sample n it holds exactly I(n/sr), as fmevolve renders it
/// (linear between breakpoints, held outside); the modulator's output is multiplied by I/2π. The
/// oversampling factor is found for the largest indices the envelopes reach.
///
/// A moving pitch (PitchCurve) is exact too: `phasor` integrates p4·2^(cents(t)/1200), the glide
/// and the vibrato's depth and phase on the sample grid (CsoundExport.theta); the oversampling
/// factor counts the curve's highest pitch.
package enum CsoundExport {
    /// Csound 6.18 refuses an opcode with 1999 inputs or more ("Found 1999 inputs for linseg.a which
    /// is more than the 1999 allowed"): a `linseg` piece holds 997 segments (1 + 2·997 inputs;
    /// 3 + 2·997 with the leading hold of a later piece), a longer envelope is a sum of pieces.
    static let segmentsPerLinseg = 997

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
          aFrame line 0, p3, p3 / p5
          aOut = 0

        """
        let end = Int((file.duration * Double(sr)).rounded())
        orc += theta(patch.pitch, sampleRate: sr, end: end) + "\n"
        for (j, u) in file.units.enumerated() {
            let n = j + 1
            // the modulators' scale factors: index / 2π (a table index is in cycles)
            var scale1 = fmt(u.index1 / (2 * .pi)), scale2 = fmt(u.index2 / (2 * .pi))
            if let moving = patch.indexEnvelopes[j] {
                orc += "  ; unit \(n): carrier \(fmt(u.carrier)), modulators \(fmt(u.modulator1)) and \(fmt(u.modulator2)), indices I1(t) and I2(t) rad (index envelopes), \(u.topology)\n"
                orc += indexSignal(moving.index1, name: "aI1_\(n)", sampleRate: sr, end: end, scale: &scale1)
                orc += indexSignal(moving.index2, name: "aI2_\(n)", sampleRate: sr, end: end, scale: &scale2)
            } else {
                orc += "  ; unit \(n): carrier \(fmt(u.carrier)), modulators \(fmt(u.modulator1)) and \(fmt(u.modulator2)), indices \(fmt(u.index1)) and \(fmt(u.index2)) rad, \(u.topology)\n"
            }
            if patch.ratioGrid != nil {
                // c·θ wraps where θ does only for an integer c: with real ratios (the inharmonic
                // mode) every oscillator has its own phasor at p4 times its ratio (cycles from 0,
                // as fmevolve's units start; Csound accumulates them in double precision)
                for (name, ratio) in [("Pc", u.carrier), ("P1", u.modulator1), ("P2", u.modulator2)] {
                    orc += "  a\(name)_\(n) phasor p4 * \(fmt(ratio))\n"
                }
                orc += oscillators(u, n: n, scale1: scale1, scale2: scale2, phases: ("aPc_\(n)", "aP1_\(n)", "aP2_\(n)"))
            } else {
                orc += oscillators(u, n: n, scale1: scale1, scale2: scale2,
                                   phases: ("aTheta * \(fmt(u.carrier))", "aTheta * \(fmt(u.modulator1))", "aTheta * \(fmt(u.modulator2))"))
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

    /// A unit's three table lookups from its oscillators' phases (cycles: carrier, modulator 1,
    /// modulator 2), the modulators' outputs scaled by index/2π.
    static func oscillators(_ u: PatchFile.Unit, n: Int, scale1: String, scale2: String,
                            phases p: (carrier: String, m1: String, m2: String)) -> String {
        var s = "  aM2_\(n) tablei \(p.m2), giSine, 1, 0, 1\n"
        if u.topology == "cascade" {
            s += "  aM1_\(n) tablei \(p.m1) + aM2_\(n) * \(scale2), giSine, 1, 0, 1\n"
            s += "  aC_\(n) tablei \(p.carrier) + aM1_\(n) * \(scale1), giSine, 1, 0, 1\n"
        } else {
            s += "  aM1_\(n) tablei \(p.m1), giSine, 1, 0, 1\n"
            s += "  aC_\(n) tablei \(p.carrier) + aM1_\(n) * \(scale1) + aM2_\(n) * \(scale2), giSine, 1, 0, 1\n"
        }
        return s
    }

    /// The smallest spacing of the breakpoints (s), at least 1 ms.
    static func uniformStep(_ patch: Patch) -> Double {
        var step = Double.infinity
        for e in patch.envelopes where e.times.count > 1 {
            for i in 1..<e.times.count where e.times[i] > e.times[i - 1] { step = min(step, e.times[i] - e.times[i - 1]) }
        }
        return step.isFinite ? max(step, 0.001) : 0.01
    }

    /// Orchestra lines that make `name` an a-rate signal of the index (rad) following `e` on the
    /// render's sample grid, and `scale` the factor (cycles) the modulator's output is multiplied
    /// by: `name * 1/2π`; for an envelope that never moves, no lines and the constant index / 2π.
    /// Pieces after the first start at 0, hold it until their first point and then add the
    /// envelope's change since that point, so that the sum of the pieces is the envelope.
    static func indexSignal(_ e: Envelope, name: String, sampleRate sr: Int, end: Int, scale: inout String) -> String {
        let (lines, value) = signal(e, name: name, sampleRate: sr, end: end)
        scale = lines.isEmpty ? fmt((e.values.first ?? 0) / (2 * .pi)) : "\(value) * \(fmt(1 / (2 * .pi)))"
        return lines
    }

    /// Orchestra lines that make `name` an a-rate signal following `e` on the render's sample
    /// grid (exact at every sample), and the expression to use: `name`, or for an envelope that
    /// never moves, no lines and its constant value.
    static func signal(_ e: Envelope, name: String, sampleRate sr: Int, end: Int) -> (lines: String, value: String) {
        if SampleGridEnvelope.isConstant(e) { return ("", fmt(e.values.first ?? 0)) }
        let points = SampleGridEnvelope.points(e, sampleRate: sr, end: end)
        func seconds(_ samples: Int) -> String { fmt(Double(samples) / Double(sr)) }
        var lines = "", pieces = [String]()
        var first = 0
        while first < points.count - 1 {
            let last = min(first + segmentsPerLinseg, points.count - 1)
            let base = first == 0 ? 0 : points[first].value
            var args = first == 0 ? [fmt(points[0].value)] : ["0", seconds(points[first].sample), "0"]
            for i in (first + 1)...last {
                args += [seconds(points[i].sample - points[i - 1].sample), fmt(points[i].value - base)]
            }
            let piece = pieces.isEmpty ? name : "\(name)x\(pieces.count + 1)"
            lines += "  \(piece) linseg \(args.joined(separator: ", "))\n"
            pieces.append(piece)
            first = last
        }
        if pieces.count > 1 { lines += "  \(name) = \(pieces.joined(separator: " + "))\n" }
        return (lines, name)
    }

    /// The phase θ (cycles of f0) as `aTheta`: `phasor p4`, or with a pitch curve
    ///   phasor p4 · exp(cents(t)·ln 2/1200),  cents(t) = glide(t) + D(t)·sin(2π(rate·(t − onset) + P(t)))
    /// (PitchCurve; the glide, D and P on the sample grid; D is 0 at the onset and held before it) — phasor adds
    /// the frequency of every sample, as fmevolve integrates it.
    static func theta(_ pitch: PitchCurve?, sampleRate sr: Int, end: Int) -> String {
        guard let pitch else { return "  aTheta phasor p4\n" }
        var lines = "  ; the pitch curve (cents about f0): glide, and vibrato D(t)·sin(2π(rate·(t − onset) + P(t)))\n"
        let glide = signal(pitch.glide, name: "aGlide", sampleRate: sr, end: end)
        lines += glide.lines
        var cents = glide.value
        if let v = pitch.vibrato {
            let depth = signal(v.depth, name: "aDepth", sampleRate: sr, end: end)
            let phase = signal(v.phase, name: "aPhase", sampleRate: sr, end: end)
            lines += depth.lines + phase.lines
            lines += "  aTime line 0, p3, p3\n"
            lines += "  aVib tablei aTime * \(fmt(v.rate)) - \(fmt(v.rate * v.onset)) + \(phase.value), giSine, 1, 0, 1\n"
            lines += "  aVib = aVib * \(depth.value)\n"
            cents += " + aVib"
        }
        lines += "  aCents = \(cents)\n"
        lines += "  aTheta phasor p4 * exp(aCents * \(fmt(log(2) / 1200)))\n"
        return lines
    }

    /// The smallest factor (1, 2, 4, 8) for which every harmonic of the patch above −80 dB of its
    /// strongest lies below the render's Nyquist frequency; a dynamic unit counts at the largest
    /// indices its envelopes reach (its sidebands reach furthest there).
    package static func oversampling(_ patch: Patch, sampleRate: Int) -> Int {
        if patch.ratioGrid != nil { return inharmonicOversampling(patch, sampleRate: sampleRate) }
        var highest = 0
        let top = patch.f0 * pow(2, max(0, patch.pitch?.highest ?? 0) / 1200)    // the highest pitch played
        for (j, var u) in patch.units.enumerated() {
            if let moving = patch.indexEnvelopes[j] {      // a dynamic unit: its largest indices
                u.index1 = moving.index1.peak
                u.index2 = moving.index2.peak
            }
            let K = Int(Double(sampleRate) * 8 / 2 / top)
            let s = UnitSpectrum.spectrum(u, harmonics: max(K, 1))
            let peak = s.map(abs).max() ?? 0
            if let k = s.lastIndex(where: { abs($0) > peak * 1e-4 }) { highest = max(highest, k + 1) }
        }
        for factor in [1, 2, 4, 8] where Double(highest) * top < Double(sampleRate * factor) / 2 { return factor }
        return 8
    }

    /// Full precision, no exponent surprises for Csound's parser.
    static func fmt(_ x: Double) -> String {
        if x == 0 { return "0" }
        return String(format: "%.10g", x)
    }

    /// The same for real ratios: the highest significant partial (PartialSpectrum, above −80 dB of
    /// the unit's largest) at the unit's largest indices.
    static func inharmonicOversampling(_ patch: Patch, sampleRate: Int) -> Int {
        var highest = 0.0
        for j in patch.units.indices {
            var u = patch.realUnit(j)
            if let moving = patch.indexEnvelopes[j] { u.index1 = moving.index1.peak; u.index2 = moving.index2.peak }
            let partials = PartialSpectrum.partials(u, below: Double(sampleRate) * 8 / 2 / patch.f0)
            let peak = partials.map { abs($0.amplitude) }.max() ?? 0
            if let p = partials.last(where: { abs($0.amplitude) > peak * 1e-4 }) { highest = max(highest, p.ratio) }
        }
        for factor in [1, 2, 4, 8] where highest * patch.f0 < Double(sampleRate * factor) / 2 { return factor }
        return 8
    }
}
