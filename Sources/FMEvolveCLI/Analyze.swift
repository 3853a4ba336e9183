import Analysis
import ArgumentParser
import AudioIO
import Foundation
import PitchFit

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyse a recording: f0, duration, harmonics, frames, how the pitch moves and the loudest harmonics.")

    @Argument(help: "An audio file (WAV, AIFF, FLAC, OGG, … anything libsndfile reads).")
    var file: String

    @Option(help: "Fundamental in Hz (default: estimated).")
    var f0: Double?

    @Option(help: "How many of the loudest harmonics to list.")
    var top: Int = 8

    @Option(help: "Longest recording accepted, in seconds.")
    var maxDuration: Double = AudioReader.defaultMaxSeconds

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        if let f = f0, !(f > 0 && f.isFinite) { throw ValidationError("--f0 must be a positive number of Hz") }
        if top < 0 { throw ValidationError("--top must be ≥ 0") }
    }

    func run() throws {
        let audio = try AudioReader.read(path: file, maxSeconds: maxDuration)
        let a = try TargetAnalysis.analyse(audio, f0: f0)
        let K = a.harmonicCount
        // mean amplitude of each harmonic over the active frames
        var mean = [Double](repeating: 0, count: K)
        for t in 0..<a.frameCount where a.active[t] {
            for k in 0..<K { mean[k] += a.amplitudes[t * K + k] }
        }
        let n = Double(max(a.activeFrameCount, 1))
        mean = mean.map { $0 / n }
        let peak = mean.max() ?? 0
        let loudest = mean.indices.sorted { mean[$0] > mean[$1] }.prefix(top)
        let (onset, _) = Activity.onsetOffset(audio.samples, sampleRate: audio.sampleRate)
        let pitch = a.pitchMovement(of: audio.samples)
        let curve = a.followingPitch(of: audio.samples).pitch        // what evolve will play
        let bands = BandSpectrum(audio.samples, sampleRate: audio.sampleRate)
        let harmonicity = Harmonicity(bands, f0: a.f0)
            .following(curve.map { c in { c.cents(at: $0) } }, of: audio.samples, spectrum: bands, f0: a.f0)
        if let notice = HarmonicityReport.notice(URL(fileURLWithPath: file).lastPathComponent, harmonicity, f0: a.f0,
                                                 inharmonic: true) {
            FMEvolve.stderr(notice)
        }
        if json {
            let obj: [String: Any] = [
                "file": file, "format": audio.format, "sample_rate": audio.sampleRate, "channels": audio.channels,
                "samples": audio.samples.count, "duration": audio.duration, "f0": a.f0, "f0_source": a.f0Source,
                "window": a.parameters.window, "hop": a.parameters.hop, "harmonics": K,
                "frames": a.frameCount, "active_frames": a.activeFrameCount,
                "onset": Double(max(onset, 0)) / Double(audio.sampleRate),
                "loudest": loudest.map { ["harmonic": $0 + 1, "frequency": Double($0 + 1) * a.f0, "mean_amplitude": mean[$0],
                                          "db": 20 * log10(max(mean[$0], 1e-300) / max(peak, 1e-300))] as [String: Any] },
                "pitch": PitchReport.json(pitch, f0: a.f0).merging(["curve": curve.map(PitchSummary.json) ?? NSNull()]) { $1 },
                "harmonicity": HarmonicityReport.json(harmonicity),
            ]
            let data = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("file        \(file)")
        print("format      \(audio.format), \(audio.channels) channel\(audio.channels == 1 ? "" : "s") at \(audio.sampleRate) Hz")
        print("duration    \(fmt(audio.duration, 3)) s (\(audio.samples.count) samples), onset \(fmt(Double(max(onset, 0)) / Double(audio.sampleRate), 3)) s")
        print("f0          \(fmt(a.f0, 3)) Hz (\(a.f0Source)), \(Pitch.name(a.f0))")
        print("analysis    window \(a.parameters.window), hop \(a.parameters.hop), FFT \(a.parameters.fftSize)")
        print("harmonics   \(K) (up to \(fmt(Double(K) * a.f0, 0)) Hz)")
        print("frames      \(a.activeFrameCount) active of \(a.frameCount)")
        print("harmonic    \(HarmonicityReport.line(harmonicity))")
        print("pitch       \(PitchReport.line(pitch))")
        print("curve       \(curve.map(PitchSummary.text) ?? "none: the pitch is held at f0") (what evolve plays)")
        print("loudest     harmonic  frequency (Hz)  mean amplitude  level (dB)")
        for k in loudest {
            let db = 20 * log10(max(mean[k], 1e-300) / max(peak, 1e-300))
            print("            \(pad(k + 1, 8))  \(pad(fmt(Double(k + 1) * a.f0, 1), 14))  \(pad(fmt(mean[k], 5), 14))  \(pad(fmt(db, 1), 10))")
        }
    }
}

/// Note names for frequencies (A4 = 440 Hz, 12-tone equal temperament).
enum Pitch {
    static func name(_ f: Double) -> String {
        let names = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
        let midi = 69 + 12 * log2(f / 440)
        let n = Int(midi.rounded())
        let cents = Int(((midi - Double(n)) * 100).rounded())
        let octave = n / 12 - 1
        return "\(names[((n % 12) + 12) % 12])\(octave) \(cents >= 0 ? "+" : "")\(cents) cents"
    }
}

func fmt(_ x: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", x) }
func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
func pad(_ i: Int, _ width: Int) -> String { pad(String(i), width) }
