import Analysis
import AudioIO
import FMSynthesis
import Foundation

/// Which voice the DX7 cartridge holds, and the patch it plays.
///
/// Without the target's analysis: the patch's own loudest representable units
/// (DX7Export.voice), carriers' EGs fitted to their envelopes and modulators' EGs to their index
/// envelopes, then polished (DX7VoiceFit) towards the patch's own render, analysed as a target:
/// an index fitted in radians is not the level nearest in sound — a DX7 level is a step of 9 %,
/// and which of the two levels around an index sounds closer depends on the spectrum (an inner
/// cascade index 0.53 rad played as 0.51 instead of 0.55 scored 0.060 instead of 0.036 in every
/// sustain frame of a clarinet match). With it, candidates are compared by the spectral error of
/// what Dexed plays (DX7VoiceModel), each after DX7VoiceFit.polish has moved its operators'
/// output levels, EG levels, rates and ratios to lower that error:
/// - the best DX7-representable static genomes (DX7Mapping.candidates: of the match's units, and
///   of a dedicated two-unit match), their envelopes refitted;
/// - for a dynamic patch, its own units with their index envelopes (DX7Export.voice), which
///   the static genome cannot carry.
/// The polish gives every modulator of either an EG of its own, so a static patch, too, ends with
/// moving indices where they lower the error. The chosen voice's pitch EG and LFO are then fitted
/// to the patch's pitch curve (DX7Pitch), at the key-up the polish settled on.
enum DX7Choice {
    struct Choice {
        var voice: DX7Export.Voice
        /// What the voice plays, in fmevolve's format (with the target's analysis only).
        var played: PatchFile?
    }

    static func choose(_ source: ExportSource) -> Choice {
        let file = source.file
        guard let analysis = source.analysis else {
            let voice = DX7Export.voice(file)
            guard let own = try? TargetAnalysis.analyse(Audio(samples: source.render, sampleRate: file.sampleRate), f0: file.f0) else {
                return Choice(voice: voice, played: nil)
            }
            return Choice(voice: pitched(DX7VoiceFit.polish(voice, model: DX7VoiceModel(analysis: own, duration: file.duration)).voice,
                                         file: file), played: nil)
        }
        var candidates = DX7Mapping.candidates(file.patch().units, analysis: analysis).map { chosen in
            DX7Export.voice(Champion(genome: chosen.genome, analysis: analysis, maxIndex: 4 * .pi * 1.01)
                .file(name: file.name, analysis: analysis, target: file.target, run: file.run, version: file.fmevolveVersion), mapped: true)
        }
        if file.patch().isDynamic { candidates.append(DX7Export.voice(file)) }
        let model = DX7VoiceModel(analysis: analysis, duration: file.duration)
        // every candidate climbed, the best one searched further (iterated local search)
        let climbed = candidates.map { DX7VoiceFit.polish($0, model: model, rounds: 0) }.min { $0.err < $1.err }!
        let best = DX7VoiceFit.polish(climbed.voice, model: model)
        let voice = pitched(best.voice, file: file)
        return Choice(voice: voice, played: played(voice, err: best.err, source: source, analysis: analysis))
    }

    /// The voice with its pitch EG and LFO fitted to the patch's pitch curve, at the voice's key-up.
    static func pitched(_ v: DX7Export.Voice, file: PatchFile) -> DX7Export.Voice {
        var v = v
        v.pitch = DX7Pitch.fit(file.patch(), duration: file.duration, noteOff: v.noteOff)
        return v
    }

    /// The patch a voice plays (DX7Playback), envelopes thinned to 1e-4 of their peaks, its pitch
    /// the voice's pitch EG and LFO, with the model's err and the err of its render.
    static func played(_ v: DX7Export.Voice, err: Double, source: ExportSource, analysis: TargetAnalysis) -> PatchFile {
        let file = source.file
        let p = DX7Playback.patch(v, f0: file.f0, duration: file.duration)
        func thin(_ e: Envelope) -> [[Double]] {
            let s = EnvelopeSimplifier.simplify(e, tolerance: 1e-4 * max(e.peak, 1e-12))
            return zip(s.times, s.values).map { [$0, $1] }
        }
        let units = p.units.indices.map { j -> PatchFile.Unit in
            let u = p.units[j], m = p.indexEnvelopes[j]
            return PatchFile.Unit(carrier: Double(u.carrier), modulator1: Double(u.modulator1), modulator2: Double(u.modulator2),
                                  index1: u.index1, index2: u.index2, topology: u.topology.description,
                                  envelope: thin(p.envelopes[j]), index1Envelope: m.map { thin($0.index1) },
                                  index2Envelope: m.map { thin($0.index2) })
        }
        var out = PatchFile(format: PatchFile.formatName, version: PatchFile.currentVersion, name: file.name, f0: file.f0,
                            sampleRate: file.sampleRate, samples: file.samples, err: err, renderErr: nil, staticErr: nil,
                            units: units, pitch: p.pitch.map(PatchFile.Pitch.init), target: file.target, analysis: file.analysis, run: file.run,
                            fmevolveVersion: file.fmevolveVersion)
        let render = PatchRenderer.render(out.patch(), sampleRate: file.sampleRate, count: file.samples)
        out.renderErr = analysis.scoredError(of: render)
        return out
    }
}
