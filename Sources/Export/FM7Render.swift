import FMSynthesis
import Foundation

/// The norns FM7 preset played by the FM7 UGen itself (sc3-plugins FM7.cpp), so that the mapping
/// can be heard and scored without a norns: 54 inputs — per operator i (0–5) [freq Hz, phase,
/// amp] at 3i…3i+2, then the modulation matrix at 18 + 6i + j, the amount (radians) by which
/// operator j's output modulates operator i — and 6 outputs; the carriers' outputs are summed.
/// Each operator's amp is multiplied by an ADSR EnvGen (Env.adsr's shape: curve −4) whose gate
/// falls at the release start, as the FM7 engine's envelopes do at note-off.
enum FM7Render {
    static func files(_ preset: NornsExport.FM7Preset, file: PatchFile) -> (synthDef: [UInt8], score: [UInt8]) {
        let name = "fmevolve_fm7"
        var def = SynthDefWriter(name: name)
        let gate = def.controls([("gate", 1)])[0]
        var inputs = [SynthDefWriter.Input]()
        var matrix = [[Double]](repeating: [Double](repeating: 0, count: 6), count: 6)
        var carriers = [Int]()
        var amps = [SynthDefWriter.Input](repeating: def.constant(0), count: 6)
        var freqs = [Double](repeating: file.f0, count: 6)
        // exactly the values the preset holds (clamped to the FM7 params' ranges, as written), so
        // that this plays what norns loads: e.g. an attack of 0 is opAmpA = 0.01 s there
        func value(_ id: String, _ v: Double) -> Double { NornsExport.presetValue(id, v) }
        for (slot, (u, adsr, amp, modulators)) in preset.units.enumerated() {
            let c = 3 * slot, m1 = c + 1, m2 = c + 2
            freqs[c] = value("hz\(c + 1)", Double(u.carrier)) * file.f0
            freqs[m1] = value("hz\(m1 + 1)", Double(u.modulator1)) * file.f0
            freqs[m2] = value("hz\(m2 + 1)", Double(u.modulator2)) * file.f0
            carriers.append(c)
            if u.topology == .parallel {
                matrix[c][m1] = value("hz\(m1 + 1)_to_hz\(c + 1)", modulators[0].amount)
                matrix[c][m2] = value("hz\(m2 + 1)_to_hz\(c + 1)", modulators[1].amount)
            } else {
                matrix[m1][m2] = value("hz\(m2 + 1)_to_hz\(m1 + 1)", modulators[1].amount)
                matrix[c][m1] = value("hz\(m1 + 1)_to_hz\(c + 1)", modulators[0].amount)
            }
            let carrierEnv = adsrEnv(&def, gate: gate, attack: value("opAmpA", adsr.attack), decay: value("opAmpD", adsr.decay),
                                     sustain: value("opAmpS", adsr.sustain), release: value("opAmpR", adsr.release))
            amps[c] = def.binary(.multiply, carrierEnv, value("amp", amp))
            for (m, e) in zip([m1, m2], modulators.map(\.envelope)) {
                amps[m] = adsrEnv(&def, gate: gate, attack: value("opAmpA", e.attack), decay: value("opAmpD", e.decay),
                                  sustain: value("opAmpS", e.sustain), release: value("opAmpR", e.release))
            }
        }
        for op in 0..<6 {
            inputs.append(def.constant(freqs[op]))
            inputs.append(def.constant(0))
            inputs.append(amps[op])
        }
        for i in 0..<6 { for j in 0..<6 { inputs.append(def.constant(matrix[i][j])) } }
        let fm7 = def.add("FM7", .audio, inputs, outputs: 6)
        var sum = def.output(fm7, Int32(carriers[0]))
        for c in carriers.dropFirst() {
            let o = def.output(fm7, Int32(c))
            sum = def.binary(.add, sum, o)
        }
        def.out(bus: 0, sum)
        let bytes = def.bytes()
        let release = preset.gate
        let score = OSC.score([
            (0, [OSC.message("/d_recv", [.blob(bytes)]), OSC.message("/s_new", [.string(name), .int(1000), .int(0), .int(0)])]),
            (release, [OSC.message("/n_set", [.int(1000), .string("gate"), .float(0)])]),
            (file.duration, [OSC.message("/c_set", [.int(0), .int(0)])]),
        ])
        return (bytes, score)
    }

    /// Env.adsr(a, d, s, r, curve: −4) at control rate, released when the gate falls (a stage of
    /// 0 s lasts one control period, as in the FM7 engine's own Env.adsr).
    static func adsrEnv(_ def: inout SynthDefWriter, gate: SynthDefWriter.Input, attack: Double, decay: Double,
                        sustain: Double, release: Double) -> SynthDefWriter.Input {
        def.envGen(.control, levels: [0, 1, sustain, 0], times: [attack, decay, release],
                   shape: .curve, curve: -4, releaseNode: 2, gate: gate, doneAction: 0)
    }
}
