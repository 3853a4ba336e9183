import Analysis
import FMSynthesis
import Foundation

/// What a norns FM7 preset plays, in fmevolve's terms, and which pair of units the preset holds.
///
/// The model is the FM7 engine's ideal: each operator's output amp·Env.adsr(A, D, S, R) (levels
/// 0, 1, S, 0, curve −4, gate falling at the preset's note-off) in continuous time, a carrier's
/// as its unit's amplitude, a modulator's times its matrix amount as the index it gives (FM7.cpp:
/// the phase input of op I is Σ_J hzJ_to_hzI · out_J, out_J = ampJ·envJ·sin). Left out: the
/// UGen's one-sample modulation delay, block-wise amp ramps and truncated phase steps, which
/// FM7RenderTests measures (≤ 0.003 in err).
package enum FM7Playback {
    /// Env.adsr(A, D, S, R) with curve −4 at time t (s), the gate falling at `gate`.
    package static func adsr(_ e: NornsExport.OperatorEnvelope, at t: Double, gate: Double) -> Double {
        let curve = -4.0
        func seg(_ y0: Double, _ y1: Double, _ x: Double) -> Double { y0 + (y1 - y0) * (1 - exp(curve * x)) / (1 - exp(curve)) }
        func held(_ t: Double) -> Double {
            t < e.attack ? seg(0, 1, t / e.attack) : t < e.attack + e.decay ? seg(1, e.sustain, (t - e.attack) / e.decay) : e.sustain
        }
        return t < gate ? held(t) : t < gate + e.release ? seg(held(gate), 0, (t - gate) / e.release) : 0
    }

    /// The preset's two units with their amplitude and index envelopes sampled every millisecond,
    /// from the values the preset holds (clamped to the params' ranges).
    static func patch(_ preset: NornsExport.FM7Preset, f0: Double, duration: Double) -> Patch {
        let times = (Array(stride(from: 0.0, through: duration, by: 0.001)) + [preset.gate]).sorted()
        func value(_ id: String, _ v: Double) -> Double { NornsExport.presetValue(id, v) }
        func held(_ e: NornsExport.OperatorEnvelope) -> NornsExport.OperatorEnvelope {
            .init(attack: value("opAmpA", e.attack), decay: value("opAmpD", e.decay),
                  sustain: value("opAmpS", e.sustain), release: value("opAmpR", e.release))
        }
        var units = [FMUnit](), envelopes = [Envelope](), moving = [IndexEnvelopes?]()
        for (u, a, amp, modulators) in preset.units {
            let carrier = held(.init(attack: a.attack, decay: a.decay, sustain: a.sustain, release: a.release))
            let amount = modulators.map { value("to", $0.amount) }
            var v = u
            v.index1 = amount[0]; v.index2 = amount[1]
            units.append(v)
            envelopes.append(Envelope(times: times, values: times.map { value("amp", amp) * adsr(carrier, at: $0, gate: preset.gate) }))
            let e = modulators.map { held($0.envelope) }
            moving.append(IndexEnvelopes(index1: Envelope(times: times, values: times.map { amount[0] * adsr(e[0], at: $0, gate: preset.gate) }),
                                         index2: Envelope(times: times, values: times.map { amount[1] * adsr(e[1], at: $0, gate: preset.gate) })))
        }
        return Patch(f0: f0, units: units, envelopes: envelopes, indexEnvelopes: moving)
    }

    /// The relative spectral error of what a preset plays, rendered and analysed.
    static func err(_ preset: NornsExport.FM7Preset, file: PatchFile, analysis: TargetAnalysis) -> Double {
        let p = patch(preset, f0: file.f0, duration: file.duration)
        return analysis.scoredError(of: PatchRenderer.render(p, sampleRate: file.sampleRate, count: file.samples))
    }

    /// The patch the FM7 preset is made of: without the target, the patch itself (its two loudest
    /// units); with it, the best pair by err (DX7Mapping.bestPair, indices capped at 2π, envelopes
    /// refitted) — or, for a dynamic patch, its own two loudest units with their index envelopes
    /// when the preset they make plays with a lower err.
    static func source(_ source: ExportSource) -> PatchFile {
        let file = source.file
        guard let analysis = source.analysis else { return file }
        let pair = DX7Mapping.bestPair(file.patch().units, analysis: analysis, maxIndex: 2 * .pi)
        let paired = Champion(genome: pair.genome, analysis: analysis, maxIndex: 8)
            .file(name: file.name, analysis: analysis, target: file.target, run: file.run, version: file.fmevolveVersion)
        guard file.patch().isDynamic else { return paired }
        return [paired, file].min { err(NornsExport.fm7($0), file: $0, analysis: analysis) < err(NornsExport.fm7($1), file: $1, analysis: analysis) }!
    }
}
