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
