import ArgumentParser
import AudioIO
import Export
import FMSynthesis
import Foundation

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render a patch file to a WAV file (alias-free, the patch's length and sample rate).",
        discussion: """
        --sample-rate renders at another rate: envelope times are seconds, so the note keeps its \
        timeline and pitch; its length is the patch's duration times the rate, rounded.
        """)

    @Argument(help: "A patch file written by 'fmevolve evolve' or 'fmevolve export'.")
    var patch: String

    @Option(name: .shortAndLong, help: "The WAV file to write.")
    var output: String

    @Option(help: "Play the patch at this fundamental (Hz) instead of its own; envelopes keep their timing.")
    var f0: Double?

    @Option(help: "Render at this sample rate (Hz, 1…768000) instead of the patch's; same timeline and pitch.")
    var sampleRate: Int?

    @Flag(help: "Write 16-bit PCM instead of 32-bit float.")
    var pcm16 = false

    func validate() throws {
        if let f = f0, !(f > 0 && f.isFinite) { throw ValidationError("--f0 must be a positive number of Hz") }
        if let r = sampleRate, !(1...768_000).contains(r) { throw ValidationError("--sample-rate must be 1…768000 Hz") }
    }

    func run() throws {
        let file = try PatchFile.read(path: patch)
        // the patch's duration at the chosen rate: samples / sample_rate seconds, rounded to a sample
        let rate = sampleRate ?? file.sampleRate
        let count = sampleRate == nil ? file.samples : max(1, Int((file.duration * Double(rate)).rounded()))
        let y = PatchRenderer.render(file.patch(), sampleRate: rate, count: count, f0: f0)
        let clipped = try AudioWriter.writeWAV(path: output, samples: y, sampleRate: rate,
                                               encoding: pcm16 ? .pcm16 : .float32)
        if clipped > 0 {
            FileHandle.standardError.write(Data("fmevolve: warning: \(clipped) samples clipped in 16-bit output\n".utf8))
        }
        print(output)
    }
}
