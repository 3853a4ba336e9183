import FMSynthesis
import Foundation

/// SuperCollider: the patch as a SynthDef (SinOsc phase modulation, indices in radians, phase
/// wrapped with mod 2π, one EnvGen of linear Env breakpoints per unit) and a non-real-time score
/// that plays the note — as readable sclang source (.scd), and compiled (.scsyndef and an .osc
/// score that `scsynth -N` renders headless, no sclang or GUI needed).
///
/// A moving pitch (PitchCurve) multiplies `freq` by 2^(cents/1200) at audio rate: the glide and
/// the vibrato's depth and phase are EnvGens on the sample grid like the indices, the vibrato a
/// SinOsc at its rate; every unit's oscillators follow the one frequency, so the ratios hold.
///
/// A dynamic unit's moving index is an EnvGen of linear segments between its breakpoints moved
/// onto the sample grid of the rate the .scd names (SampleGridEnvelope): EnvGen's linear segment
/// of n samples steps from level a by (b − a)/n each sample, so at that rate the index is exactly
/// I(k/sr) at every sample k (float32), as fmevolve renders it; the modulator's output (±1) is
/// multiplied by it (radians) before the phase is wrapped.
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

    /// A modulation index (rad): fixed, or an EnvGen's levels and segment durations (s).
    enum Index {
        case fixed(Double)
        case moving(levels: [Double], times: [Double])
    }

    /// Unit j's two indices at `sampleRate`: the fixed ones of a static unit, and for a dynamic
    /// unit each envelope that moves as EnvGen arrays on the sample grid up to `end`.
    static func indices(_ patch: Patch, _ j: Int, sampleRate: Int, end: Int) -> (Index, Index) {
        guard let moving = patch.indexEnvelopes[j] else { return (.fixed(patch.units[j].index1), .fixed(patch.units[j].index2)) }
        return (grid(moving.index1, sampleRate: sampleRate, end: end), grid(moving.index2, sampleRate: sampleRate, end: end))
    }

    /// An envelope as a constant, or as EnvGen arrays on the sample grid up to `end` (exact at
    /// every sample, SampleGridEnvelope).
    static func grid(_ e: Envelope, sampleRate: Int, end: Int) -> Index {
        if SampleGridEnvelope.isConstant(e) { return .fixed(e.values.first ?? 0) }
        let points = SampleGridEnvelope.points(e, sampleRate: sampleRate, end: end)
        let times = zip(points.dropFirst(), points).map { Double($0.sample - $1.sample) / Double(sampleRate) + segmentSlack }
        return .moving(levels: points.map(\.value), times: times)
    }

    /// The pitch curve's three signals: glide (cents), and the vibrato's rate (Hz), depth D (cents)
    /// and phase 2π(P(t) − rate·onset) (rad: a SinOsc at `rate` started at 0 s then plays
    /// sin(2π(rate·(t − onset) + P(t)))).
    struct PitchSignals {
        var glide: Index
        var vibrato: (rate: Double, depth: Index, phase: Index)?

        init(_ c: PitchCurve, sampleRate: Int, end: Int) {
            glide = grid(c.glide, sampleRate: sampleRate, end: end)
            vibrato = c.vibrato.map { v in
                let shifted = Envelope(times: v.phase.times, values: v.phase.values.map { 2 * .pi * ($0 - v.rate * v.onset) })
                return (v.rate, grid(v.depth, sampleRate: sampleRate, end: end), grid(shifted, sampleRate: sampleRate, end: end))
            }
        }
    }

    static func defName(_ name: String) -> String {
        let clean = String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" }.prefix(22))
        return "fmevolve_" + clean
    }

    static func files(_ file: PatchFile, stem: String) -> Files {
        let patch = file.patch()
        let rate = file.sampleRate * CsoundExport.oversampling(patch, sampleRate: file.sampleRate)
        let end = Int((file.duration * Double(rate)).rounded())
        let envelopes = patch.envelopes.map { EnvelopeSimplifier.simplify($0, tolerance: tolerance * max($0.peak, 1e-12)) }
        let name = defName(file.name)
        var def = SynthDefWriter(name: name)
        let controls = def.controls([("freq", file.f0), ("amp", 1)])
        var freq = controls[0]
        let amp = controls[1]
        var sum: SynthDefWriter.Input?
        let zero = def.constant(0)
        func signal(_ index: Index) -> SynthDefWriter.Input {
            switch index {
            case .fixed(let v): return def.constant(v)
            case .moving(let levels, let times): return def.envGen(.audio, levels: levels, times: times, doneAction: 0)
            }
        }
        if let c = patch.pitch {             // freq · 2^(cents/1200), cents = glide + D·sin(…)
            let p = PitchSignals(c, sampleRate: rate, end: end)
            var cents = signal(p.glide)
            if let v = p.vibrato {
                let phase = def.binary(.mod, signal(v.phase), 2 * .pi)
                let lfo = def.sinOsc(freq: def.constant(v.rate), phase: phase)
                cents = def.binary(.add, cents, def.binary(.multiply, lfo, signal(v.depth)))
            }
            let octaves = def.binary(.multiply, cents, 1.0 / 1200)
            freq = def.binary(.multiply, freq, def.binary(.pow, def.constant(2), octaves))
        }
        /// The modulator's output times its index (rad).
        func scaled(_ osc: SynthDefWriter.Input, _ index: Index) -> SynthDefWriter.Input {
            switch index {
            case .fixed(let i): return def.binary(.multiply, osc, i)
            case .moving(let levels, let times):
                let env = def.envGen(.audio, levels: levels, times: times, doneAction: 0)
                return def.binary(.multiply, osc, env)
            }
        }
        for (j, (u, e)) in zip(patch.units, envelopes).enumerated() {
            let (index1, index2) = indices(patch, j, sampleRate: rate, end: end)
            let f2 = def.binary(.multiply, freq, patch.ratio(u.modulator2))
            let f1 = def.binary(.multiply, freq, patch.ratio(u.modulator1))
            let fc = def.binary(.multiply, freq, patch.ratio(u.carrier))
            let m2 = def.sinOsc(freq: f2, phase: zero)
            let carrierPhase: SynthDefWriter.Input
            if u.topology == .cascade {
                let scaled2 = scaled(m2, index2)
                let inner = def.binary(.mod, scaled2, 2 * .pi)
                let m1 = def.sinOsc(freq: f1, phase: inner)
                let scaled1 = scaled(m1, index1)
                carrierPhase = def.binary(.mod, scaled1, 2 * .pi)
            } else {
                let m1 = def.sinOsc(freq: f1, phase: zero)
                let scaled1 = scaled(m1, index1)
                let scaled2 = scaled(m2, index2)
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
        return Files(source: source(file, envelopes: envelopes, defName: name, stem: stem, sampleRate: rate, end: end),
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

    /// `var pitch = freq * (2 ** (cents / 1200));` with the pitch curve's glide and vibrato
    /// (nothing without a curve).
    static func pitchSource(_ patch: Patch, sampleRate: Int, end: Int) -> String {
        guard let c = patch.pitch else { return "" }
        func n(_ x: Double) -> String { CsoundExport.fmt(x) }
        func expr(_ i: Index) -> String {
            switch i {
            case .fixed(let v): return n(v)
            case .moving(let levels, let times):
                return "EnvGen.ar(Env([\(levels.map(n).joined(separator: ", "))],\n            [\(times.map(n).joined(separator: ", "))]))"
            }
        }
        let p = PitchSignals(c, sampleRate: sampleRate, end: end)
        var cents = expr(p.glide)
        if let v = p.vibrato {
            cents += " + (\(expr(v.depth))\n        * SinOsc.ar(\(n(v.rate)), \(expr(v.phase)).mod(2pi)))"
        }
        return """
            // the pitch curve (cents about freq): glide + vibrato depth · sin(2π(rate·(t − onset) + phase))
            var pitch = freq * (2 ** ((\(cents)) / 1200));

        """
    }

    static func source(_ file: PatchFile, envelopes: [Envelope], defName: String, stem: String, sampleRate: Int, end: Int) -> String {
        func n(_ x: Double) -> String { CsoundExport.fmt(x) }
        let patch = file.patch()
        var units = [String]()
        let freq = patch.pitch == nil ? "freq" : "pitch"
        for (j, (u, e)) in zip(patch.units, envelopes).enumerated() {
            let (levels, times) = envArrays(e, duration: file.duration)
            let env = "EnvGen.ar(Env([\(levels.map(n).joined(separator: ", "))],\n                [\(times.map(n).joined(separator: ", "))]), doneAction: \(j == 0 ? 2 : 0))"
            // a fixed index is a number in the expressions, a moving one the variable i1 or i2
            var moving = [String]()
            func index(_ index: Index, _ variable: String) -> String {
                switch index {
                case .fixed(let i): return n(i)
                case .moving(let levels, let times):
                    moving.append("\(variable) = EnvGen.ar(Env([\(levels.map(n).joined(separator: ", "))],\n                [\(times.map(n).joined(separator: ", "))]))")
                    return variable
                }
            }
            let (index1, index2) = indices(patch, j, sampleRate: sampleRate, end: end)
            let i1 = index(index1, "i1"), i2 = index(index2, "i2")
            // integer ratios as they are; the inharmonic mode's as real numbers
            func ratioText(_ v: Int32) -> String { patch.ratioGrid == nil ? "\(v)" : n(patch.ratio(v)) }
            var body = moving.isEmpty ? "" : "            var \(moving.joined(separator: ",\n                ")); // I1(t), I2(t) (rad)\n"
            if u.topology == .cascade {
                body += """
                        var m2 = SinOsc.ar(\(freq) * \(ratioText(u.modulator2)));
                        var m1 = SinOsc.ar(\(freq) * \(ratioText(u.modulator1)), (m2 * \(i2)).mod(2pi));
                        SinOsc.ar(\(freq) * \(ratioText(u.carrier)), (m1 * \(i1)).mod(2pi))
                """
            } else {
                body += """
                        var m1 = SinOsc.ar(\(freq) * \(ratioText(u.modulator1))), m2 = SinOsc.ar(\(freq) * \(ratioText(u.modulator2)));
                        SinOsc.ar(\(freq) * \(ratioText(u.carrier)), ((m1 * \(i1)) + (m2 * \(i2))).mod(2pi))
                """
            }
            let kind = patch.indexEnvelopes[j] == nil ? "indices in radians"
                : "index envelopes in radians, breakpoints on the \(sampleRate) Hz sample grid"
            units.append("""
                    // unit \(j + 1): carrier \(ratioText(u.carrier)), modulators \(ratioText(u.modulator1)) and \(ratioText(u.modulator2)), \(u.topology), \(kind)
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
        \(pitchSource(patch, sampleRate: sampleRate, end: end))    var units = [
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
