import ArgumentParser
import AudioIO
import Export
import FMSynthesis
import Foundation

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render a patch file to a WAV file (alias-free, the patch's length and sample rate).")

    @Argument(help: "A patch file written by 'fmevolve evolve' or 'fmevolve export'.")
    var patch: String

    @Option(name: .shortAndLong, help: "The WAV file to write.")
    var output: String

    @Option(help: "Play the patch at this fundamental (Hz) instead of its own; envelopes keep their timing.")
    var f0: Double?

    @Flag(help: "Write 16-bit PCM instead of 32-bit float.")
    var pcm16 = false

    func validate() throws {
        if let f = f0, !(f > 0 && f.isFinite) { throw ValidationError("--f0 must be a positive number of Hz") }
    }

    func run() throws {
        let file = try PatchFile.read(path: patch)
        let y = PatchRenderer.render(file.patch(), sampleRate: file.sampleRate, count: file.samples, f0: f0)
        let clipped = try AudioWriter.writeWAV(path: output, samples: y, sampleRate: file.sampleRate,
                                               encoding: pcm16 ? .pcm16 : .float32)
        if clipped > 0 {
            FileHandle.standardError.write(Data("fmevolve: warning: \(clipped) samples clipped in 16-bit output\n".utf8))
        }
        print(output)
    }
}
