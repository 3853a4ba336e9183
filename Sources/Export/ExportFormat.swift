import Analysis
import AudioIO
import Checkpoint
import FMSynthesis
import Foundation

/// The formats `fmevolve export` writes.
public enum ExportFormat: String, CaseIterable, Sendable {
    case json, wav, csd, scd, pset, syx, svg

    /// One line for `--list-formats`.
    public var summary: String {
        switch self {
        case .json: return "fmevolve's patch file: ratios, indices, topologies and every unit's envelope breakpoints (render with 'fmevolve render')"
        case .wav: return "the patch rendered alias-free at the target's rate, length and timeline (32-bit float)"
        case .csd: return "Csound: a self-contained .csd with explicit oscillators and the fitted envelopes (csound -o out.wav NAME.csd)"
        case .scd: return "SuperCollider: a SynthDef (SinOsc phase modulation, Env breakpoints) with an NRT score, as source (.scd) and compiled (.scsyndef, .osc for scsynth -N)"
        case .pset: return "norns presets: fm7-01.pset for the FM7 engine (ADSR approximations), and passersby-01.pset when the patch fits Passersby"
        case .syx: return "DX7 32-voice cartridge for Dexed and other DX7s: voice 1 is the patch (EG and output-level approximations), the rest init voices"
        case .svg: return "plots: target vs match harmonics over time, the spectrum of the loudest frame, and the run's convergence"
        }
    }
}

/// Everything an export can draw on: the patch, and when known the target's analysis and the
/// run's history (from a checkpoint).
public struct ExportSource: Sendable {
    public var file: PatchFile
    public var analysis: TargetAnalysis?
    public var history: [GenerationRecord]?
    /// The render of `file` (computed once when needed).
    public var render: [Double]

    public init(file: PatchFile, analysis: TargetAnalysis?, history: [GenerationRecord]?, render: [Double]? = nil) {
        self.file = file
        self.analysis = analysis
        self.history = history
        self.render = render ?? PatchRenderer.render(file.patch(), sampleRate: file.sampleRate, count: file.samples)
    }
}

extension ExportFormat {
    /// Whether the format is written for patches with non-integer ratios (the inharmonic mode).
    public var playsRealRatios: Bool { [.json, .wav, .csd, .scd].contains(self) }
}

public enum Exporter {
    /// Writes one format into `folder` with file names starting with `stem`; returns the paths.
    public static func write(_ format: ExportFormat, _ source: ExportSource, folder: String, stem: String) throws -> [String] {
        let base = (folder as NSString).appendingPathComponent(stem)
        if source.file.inharmonic == true && !format.playsRealRatios { throw ExportError.inharmonic(format: format.rawValue) }
        switch format {
        case .json:
            let path = base + ".champion.json"
            try source.file.write(to: path)
            return [path]
        case .wav:
            let path = base + ".champion.wav"
            try AudioWriter.writeWAV(path: path, samples: source.render, sampleRate: source.file.sampleRate)
            return [path]
        case .csd:
            let path = base + ".csd"
            try text(CsoundExport.csd(source.file, outputName: stem), to: path)
            return [path]
        case .svg:
            guard let analysis = source.analysis else {
                throw ExportError.needsTarget(format: "svg", reason: "its plots compare the match with the target")
            }
            let path = base + ".svg"
            let match = analysis.tracks(of: source.render)
            try text(PlotExport.svg(name: source.file.name, analysis: analysis, match: match, err: source.file.renderErr ?? source.file.err,
                                    history: source.history, patch: source.file.patch(), duration: source.file.duration), to: path)
            return [path]
        case .pset:
            var paths = [folder + "/fm7-01.pset"]
            // FM7 holds two units (indices up to 2π): the best pair by err, envelopes refitted, or a
            // dynamic patch's own pair (FM7Playback.source)
            let fm7File = FM7Playback.source(source)
            let fm7 = NornsExport.fm7(fm7File)
            try text(fm7.text, to: paths[0])
            // the same mapping played by the FM7 UGen (scsynth -N fm7-01.osc _ out.wav RATE WAV float)
            let render = FM7Render.files(fm7, file: fm7File)
            try bytes(render.synthDef, to: folder + "/fm7-01.scsyndef")
            try bytes(render.score, to: folder + "/fm7-01.osc")
            paths += [folder + "/fm7-01.scsyndef", folder + "/fm7-01.osc"]
            if let passersby = NornsExport.passersby(source.file) {
                let path = folder + "/passersby-01.pset"
                try text(passersby, to: path)
                paths.append(path)
            }
            return paths
        case .scd:
            let sc = SuperColliderExport.files(source.file, stem: stem)
            try text(sc.source, to: base + ".scd")
            try bytes(sc.synthDef, to: base + ".scsyndef")
            try bytes(sc.score, to: base + ".osc")
            return [base + ".scd", base + ".scsyndef", base + ".osc"]
        case .syx:
            // the voice, chosen and polished on the spectral error of what Dexed plays when the
            // target's analysis is known (DX7Choice)
            let choice = DX7Choice.choose(source)
            let voice = choice.voice
            try bytes(DX7Export.cartridge(voice), to: base + ".syx")
            // how to hear it as fmevolve scored it: the note and how long to hold it
            // err_of_dx7_genome: the err of what the voice plays (the .dx7.json), or without the
            // target the err of the patch exported
            var note: [String: Any] = ["voice": 1, "midi_note": voice.midiNote, "note_off_s": voice.noteOff,
                                       "duration_s": source.file.duration, "algorithm": voice.algorithm,
                                       "units": DX7Playback.units(voice).count,
                                       "err_of_dx7_genome": choice.played?.err ?? source.file.err]
            // a moving pitch: the pitch EG and LFO written, and how far (RMS cents over the sounding
            // blocks) what they play is from the patch's pitch curve (DX7Pitch)
            if let curve = source.file.pitch?.curve {
                note["pitch"] = DX7Pitch.report(voice, curve: curve, patch: source.file.patch(), duration: source.file.duration)
            }
            let json = try JSONSerialization.data(withJSONObject: note, options: [.prettyPrinted, .sortedKeys])
            try bytes(Array(json) + Array("\n".utf8), to: base + ".syx.json")
            var written = [base + ".syx", base + ".syx.json"]
            if let played = choice.played {                 // the patch the voice plays, in fmevolve's format
                try played.write(to: base + ".dx7.json")
                written.append(base + ".dx7.json")
            }
            return written
        }
    }

    static func bytes(_ b: [UInt8], to path: String) throws {
        do { try Data(b).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw ExportError.cannotWrite(path: path, reason: (error as NSError).localizedDescription)
        }
    }

    static func text(_ s: String, to path: String) throws {
        do { try s.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw ExportError.cannotWrite(path: path, reason: (error as NSError).localizedDescription)
        }
    }
}
