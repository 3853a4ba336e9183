import FMSynthesis
import Foundation

/// SuperCollider: the patch as a SynthDef (SinOsc phase modulation, indices in radians, phase
/// wrapped with mod 2π, one EnvGen of linear Env breakpoints per unit) and a non-real-time score
/// that plays the note — as readable sclang source (.scd), and compiled (.scsyndef and an .osc
/// score that `scsynth -N` renders headless, no sclang or GUI needed).
enum SuperColliderExport {
    struct Files {
        var source: String
        var synthDef: [UInt8]
        var score: [UInt8]
        var defName: String
        var sampleRate: Int
    }

    /// Envelope breakpoints dropped within 0.1 % of the unit's peak.
    static let tolerance = 1e-3

    static func defName(_ name: String) -> String {
        let clean = String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" }.prefix(22))
        return "fmevolve_" + clean
    }

    static func files(_ file: PatchFile, stem: String) -> Files {
        let patch = file.patch()
        let envelopes = patch.envelopes.map { EnvelopeSimplifier.simplify($0, tolerance: tolerance * max($0.peak, 1e-12)) }
        let name = defName(file.name)
        var def = SynthDefWriter(name: name)
        let controls = def.controls([("freq", file.f0), ("amp", 1)])
        let freq = controls[0], amp = controls[1]
        var sum: SynthDefWriter.Input?
        let zero = def.constant(0)
        for (j, (u, e)) in zip(patch.units, envelopes).enumerated() {
            let f2 = def.binary(.multiply, freq, Double(u.modulator2))
            let f1 = def.binary(.multiply, freq, Double(u.modulator1))
            let fc = def.binary(.multiply, freq, Double(u.carrier))
            let m2 = def.sinOsc(freq: f2, phase: zero)
            let carrierPhase: SynthDefWriter.Input
            if u.topology == .cascade {
                let scaled2 = def.binary(.multiply, m2, u.index2)
                let inner = def.binary(.mod, scaled2, 2 * .pi)
                let m1 = def.sinOsc(freq: f1, phase: inner)
                let scaled1 = def.binary(.multiply, m1, u.index1)
                carrierPhase = def.binary(.mod, scaled1, 2 * .pi)
            } else {
                let m1 = def.sinOsc(freq: f1, phase: zero)
                let scaled1 = def.binary(.multiply, m1, u.index1)
                let scaled2 = def.binary(.multiply, m2, u.index2)
                let pm = def.binary(.add, scaled1, scaled2)
                carrierPhase = def.binary(.mod, pm, 2 * .pi)
            }
            let carrier = def.sinOsc(freq: fc, phase: carrierPhase)
            let (levels, times) = envArrays(e, duration: file.duration)
            let env = def.envGen(.audio, levels: levels, times: times, doneAction: j == 0 ? 2 : 0)
            let voice = def.binary(.multiply, carrier, env)
            if let previous = sum { sum = def.binary(.add, previous, voice) } else { sum = voice }
        }
        let scaled = def.binary(.multiply, sum!, amp)
        def.out(bus: 0, scaled)
        let synthDef = def.bytes()
        let score = OSC.score([
            (0, [OSC.message("/d_recv", [.blob(synthDef)]),
                 OSC.message("/s_new", [.string(name), .int(1000), .int(0), .int(0)])]),
            (file.duration, [OSC.message("/c_set", [.int(0), .int(0)])]),
        ])
        let rate = file.sampleRate * CsoundExport.oversampling(patch, sampleRate: file.sampleRate)
        return Files(source: source(file, envelopes: envelopes, defName: name, stem: stem, sampleRate: rate),
                     synthDef: synthDef, score: score, defName: name, sampleRate: rate)
    }

    /// EnvGen counts a segment as ⌊duration·sr⌋ samples (server/plugins/LFUGens.cpp), and a
    /// float32 duration of exactly n samples can come out as n − 10⁻⁵: one sample short per
    /// segment, 6 ms early after 300 segments. One microsecond more per segment makes the
    /// truncation land on n at every sample rate up to 192 kHz (float32 errors are ~10⁻¹⁰ s).
    static let segmentSlack = 1e-6

    /// Env arrays: levels at the breakpoints (the first at t = 0) and the segment durations.
    static func envArrays(_ e: Envelope, duration: Double) -> (levels: [Double], times: [Double]) {
        var times = [0.0], levels = [e.value(at: 0)]
        for (t, v) in zip(e.times, e.values) where t > 0 && t <= duration { times.append(t); levels.append(v) }
        if times.last! < duration { times.append(duration); levels.append(e.value(at: duration)) }
        if times.count == 1 { times.append(duration); levels.append(levels[0]) }
        return (levels, zip(times.dropFirst(), times).map { $0 - $1 + segmentSlack })
    }

    static func source(_ file: PatchFile, envelopes: [Envelope], defName: String, stem: String, sampleRate: Int) -> String {
        func n(_ x: Double) -> String { CsoundExport.fmt(x) }
        var units = [String]()
        for (j, (u, e)) in zip(file.patch().units, envelopes).enumerated() {
            let (levels, times) = envArrays(e, duration: file.duration)
            let env = "EnvGen.ar(Env([\(levels.map(n).joined(separator: ", "))],\n                [\(times.map(n).joined(separator: ", "))]), doneAction: \(j == 0 ? 2 : 0))"
            let body: String
            if u.topology == .cascade {
                body = """
                        var m2 = SinOsc.ar(freq * \(u.modulator2));
                        var m1 = SinOsc.ar(freq * \(u.modulator1), (m2 * \(n(u.index2))).mod(2pi));
                        SinOsc.ar(freq * \(u.carrier), (m1 * \(n(u.index1))).mod(2pi))
                """
            } else {
                body = """
                        var m1 = SinOsc.ar(freq * \(u.modulator1)), m2 = SinOsc.ar(freq * \(u.modulator2));
                        SinOsc.ar(freq * \(u.carrier), ((m1 * \(n(u.index1))) + (m2 * \(n(u.index2)))).mod(2pi))
                """
            }
            units.append("""
                    // unit \(j + 1): carrier \(u.carrier), modulators \(u.modulator1) and \(u.modulator2), \(u.topology), indices in radians
                    {
                \(body)
                        * \(env)
                    }.value
            """)
        }
        return """
        // \(file.name): \(file.units.count)-carrier double-modulator FM patch matched by fmevolve \(file.fmevolveVersion) (err \(n(file.err))).
        // Every unit is sin(c·θ + phase modulation) with θ = 2π·freq·t; the envelopes are the fitted ones
        // (breakpoints within 0.1 % of the peak kept). Play it: boot the server, run the SynthDef block,
        // then Synth(\\\(defName)) — or Synth(\\\(defName), [\\freq, 261.63]) for another pitch.
        (
        SynthDef(\\\(defName), { |out = 0, freq = \(n(file.f0)), amp = 1|
            var units = [
        \(units.joined(separator: ",\n"))
            ];
            Out.ar(out, units.sum * amp);
        }).add;
        )

        // Non-real-time render without sclang: \(stem).scsyndef is this SynthDef compiled and \(stem).osc the score
        // (/d_recv, /s_new at 0 s, end at \(n(file.duration)) s):
        //   scsynth -o 1 -D 0 -N \(stem).osc _ \(stem)-sc.wav \(sampleRate) WAV float
        // (\(sampleRate) Hz keeps the FM sidebands below Nyquist; resample to taste.) From sclang instead, after the
        // SynthDef block (the NRT server is a process of its own: the score hands it the SynthDef):
        // Score([[0.0, ['/d_recv', SynthDescLib.global[\\\(defName)].def.asBytes], ['/s_new', \\\(defName), 1000, 0, 0]],
        //        [\(n(file.duration)), ['/c_set', 0, 0]]])
        //     .recordNRT(outputFilePath: "\(stem)-sc.wav", sampleRate: \(sampleRate), headerFormat: "wav", sampleFormat: "float",
        //                options: ServerOptions.new.numOutputBusChannels_(1), duration: \(n(file.duration)));

        """
    }
}

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
