import AudioIO
import Foundation
import Testing
import TestSupport

@Suite struct AudioReaderTests {
    let sine = (0..<4410).map { 0.5 * sin(2 * Double.pi * 441 * Double($0) / 44100) }

    struct Encoded: Sendable, CustomTestStringConvertible {
        var container: AudioContainer
        var encoding: AudioEncoding
        /// One quantisation step of the encoding.
        var tolerance: Double
        var testDescription: String { "\(encoding.rawValue) in \(container.rawValue)" }
    }

    static let encodings: [Encoded] = [
        Encoded(container: .wav, encoding: .pcm16, tolerance: 1.0 / 32768),
        Encoded(container: .wav, encoding: .pcm24, tolerance: 1.0 / 8_388_608),
        Encoded(container: .wav, encoding: .pcm8, tolerance: 1.0 / 128),
        Encoded(container: .wav, encoding: .float32, tolerance: 1e-7),
        Encoded(container: .aiff, encoding: .pcm16, tolerance: 1.0 / 32768),
        Encoded(container: .flac, encoding: .pcm16, tolerance: 1.0 / 32768),
    ]

    @Test(arguments: encodings)
    func readsEncodings(_ e: Encoded) throws {
        let (container, encoding, tolerance) = (e.container, e.encoding, e.tolerance)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("x.\(container.rawValue)")
        try AudioWriter.write(path: path, interleaved: sine, channels: 1, sampleRate: 44100, container: container, encoding: encoding)
        let a = try AudioReader.read(path: path)
        #expect(a.sampleRate == 44100)
        #expect(a.samples.count == sine.count)
        let worst = zip(a.samples, sine).map { abs($0 - $1) }.max()!
        #expect(worst <= tolerance, "max error \(worst) for \(encoding) in \(container)")
    }

    @Test func readsOggVorbis() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("x.ogg")
        try AudioWriter.write(path: path, interleaved: sine, channels: 1, sampleRate: 44100, container: .ogg, encoding: .vorbis)
        let a = try AudioReader.read(path: path)
        #expect(a.sampleRate == 44100)
        #expect(abs(a.samples.count - sine.count) < 2048)
        // lossy, but the level survives: RMS of a 0.5 sine is 0.354
        let rms = (a.samples.reduce(0) { $0 + $1 * $1 } / Double(a.samples.count)).squareRoot()
        #expect(abs(rms - 0.5 / 2.0.squareRoot()) < 0.02)
    }

    @Test func mixesChannelsToMono() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // six channels at 96 kHz: channel c carries (c + 1) / 10
        let frames = 9600
        var interleaved = [Double]()
        for _ in 0..<frames { for c in 0..<6 { interleaved.append(Double(c + 1) / 10) } }
        let path = dir.path("six.wav")
        try AudioWriter.write(path: path, interleaved: interleaved, channels: 6, sampleRate: 96000, container: .wav, encoding: .float32)
        let a = try AudioReader.read(path: path)
        #expect(a.channels == 6)
        #expect(a.sampleRate == 96000)
        #expect(a.samples.count == frames)
        #expect(abs(a.samples[100] - 0.35) < 1e-6)            // mean of 0.1 … 0.6
    }

    @Test func rejectsMissingFile() {
        #expect(throws: AudioError.fileNotFound(path: "/nonexistent/x.wav")) {
            try AudioReader.read(path: "/nonexistent/x.wav")
        }
    }

    @Test func rejectsDirectory() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        #expect(throws: AudioError.isDirectory(path: dir.url.path)) { try AudioReader.read(path: dir.url.path) }
    }

    @Test func rejectsEmptyFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("empty.wav")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        #expect(throws: AudioError.noSamples(path: path)) { try AudioReader.read(path: path) }
    }

    @Test func rejectsTextFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("notes.wav")
        try "this is not audio\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try AudioReader.read(path: path)
        } throws: { error in
            guard case AudioError.notAudio(let p, _) = error else { return false }
            return p == path
        }
    }

    @Test func rejectsNaNSamples() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var x = sine
        x[1234] = .nan
        let path = dir.path("nan.wav")
        try AudioWriter.writeWAV(path: path, samples: x, sampleRate: 44100, encoding: .float32)
        #expect(throws: AudioError.nonFinite(path: path, index: 1234)) { try AudioReader.read(path: path) }
    }

    @Test func rejectsTooLongBeforeDecoding() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("long.wav")
        try AudioWriter.writeWAV(path: path, samples: [Double](repeating: 0.1, count: 44100 * 3), sampleRate: 44100, encoding: .pcm16)
        #expect(throws: AudioError.tooLong(path: path, seconds: 3, limit: 2)) {
            try AudioReader.read(path: path, maxSeconds: 2)
        }
    }

    @Test func errorMessagesAreOneLine() {
        let errors: [AudioError] = [.fileNotFound(path: "a.wav"), .isDirectory(path: "d"), .notAudio(path: "t.txt", reason: "Format not recognised"),
                                    .noSamples(path: "e.wav"), .tooLong(path: "h.wav", seconds: 3600, limit: 120),
                                    .nonFinite(path: "n.wav", index: 3), .writeFailed(path: "o.wav", reason: "disk full")]
        for e in errors { #expect(!e.description.contains("\n")) }
        #expect(AudioError.tooLong(path: "h.wav", seconds: 3600, limit: 120).description
                == "h.wav: 3600 s long; fmevolve matches single notes up to 120 s (trim the file, or raise --max-duration)")
    }

    @Test func sixteenBitWriteClipsAndCounts() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("clip.wav")
        let clipped = try AudioWriter.writeWAV(path: path, samples: [0, 1.5, -2, 0.5], sampleRate: 8000, encoding: .pcm16)
        #expect(clipped == 2)
        let a = try AudioReader.read(path: path)
        #expect(a.samples[1] > 0.999 && a.samples[2] <= -0.999)
    }
}
