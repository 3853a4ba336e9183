import AudioIO
import Foundation
import Testing
import TestSupport

/// Every bad input: one line on stderr, exit status 2, nothing on stdout.
@Suite struct BadInputTests {
    enum Case: String, CaseIterable, Sendable {
        case emptyFile, textFile, silence, whiteNoise, fiveMilliseconds, nanSamples, directory, missingFile, tooLong
    }

    /// Makes the input for a case in `dir`; returns its path and the expected error text.
    static func make(_ c: Case, in dir: TemporaryDirectory) throws -> (path: String, message: String) {
        let sr = 44100
        switch c {
        case .emptyFile:
            let p = dir.path("empty.wav")
            _ = FileManager.default.createFile(atPath: p, contents: Data())
            return (p, "contains no audio samples")
        case .textFile:
            let p = dir.path("readme.wav")
            try "Just some text, not a recording.\n".write(toFile: p, atomically: true, encoding: .utf8)
            return (p, "not a readable audio file")
        case .silence:
            let p = dir.path("silence.wav")
            try AudioWriter.writeWAV(path: p, samples: [Double](repeating: 0, count: sr), sampleRate: sr, encoding: .pcm16)
            return (p, "silent")
        case .whiteNoise:
            let p = dir.path("noise.wav")
            try AudioWriter.writeWAV(path: p, samples: Tones.noise(count: sr), sampleRate: sr, encoding: .pcm16)
            return (p, "no stable pitch")
        case .fiveMilliseconds:
            let p = dir.path("blip.wav")
            try AudioWriter.writeWAV(path: p, samples: Tones.harmonic(f0: 440, amplitudes: [0.5], sampleRate: sr, seconds: 0.005),
                                     sampleRate: sr, encoding: .pcm16)
            return (p, "too short to analyse")
        case .nanSamples:
            var x = Tones.harmonic(f0: 440, amplitudes: [0.5], sampleRate: sr, seconds: 0.5)
            x[1000] = .nan
            let p = dir.path("nan.wav")
            try AudioWriter.writeWAV(path: p, samples: x, sampleRate: sr, encoding: .float32)
            return (p, "NaN or infinite")
        case .directory:
            let p = dir.path("folder.wav")
            try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
            return (p, "is a directory")
        case .missingFile:
            return (dir.path("nowhere.wav"), "no such file")
        case .tooLong:
            let p = dir.path("long.wav")
            try AudioWriter.writeWAV(path: p, samples: Tones.harmonic(f0: 440, amplitudes: [0.5], sampleRate: 8000, seconds: 3),
                                     sampleRate: 8000, encoding: .pcm16)
            return (p, "fmevolve matches single notes up to 2.0 s")
        }
    }

    @Test(arguments: Case.allCases)
    func evolveRejects(_ c: Case) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (path, message) = try Self.make(c, in: dir)
        var args = ["evolve", path, "--generations", "2", "--population", "8", "--out-dir", dir.path("out")]
        if c == .tooLong { args += ["--max-duration", "2"] }
        let r = try fmevolve(arguments: args)
        #expect(r.status == 2, "\(c): exit \(r.status)")
        #expect(r.stderrLines.count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.hasPrefix("fmevolve: error: "))
        #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.path("out")))
    }

    @Test(arguments: [Case.textFile, .silence, .whiteNoise, .missingFile])
    func analyzeRejects(_ c: Case) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (path, message) = try Self.make(c, in: dir)
        let r = try fmevolve("analyze", path)
        #expect(r.status == 2)
        #expect(r.stderrLines.count == 1 && r.stderr.contains(message), "stderr: \(r.stderr)")
    }

    @Test func usageErrorsAreOneLine() throws {
        for args in [["evolve"], ["evolve", "x.wav", "--carriers", "9"], ["evolve", "x.wav", "--topology", "ring"], ["frobnicate"]] {
            let r = try fmevolve(arguments: args)
            #expect(r.status == 64, "\(args): \(r.status)")
            #expect(r.stderrLines.count == 1, "\(args): \(r.stderr)")
        }
        let r = try fmevolve("evolve", "x.wav", "--carriers", "9")
        #expect(r.stderr == "fmevolve: error: --carriers must be between 1 and 8 (see 'fmevolve evolve --help')\n")
    }

    @Test func badPatchFileIsOneLine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let p = dir.path("bad.json")
        try #"{"format": "fmevolve-patch", "version": 1}"#.write(toFile: p, atomically: true, encoding: .utf8)
        let r = try fmevolve("render", p, "-o", dir.path("x.wav"))
        #expect(r.status == 2)
        #expect(r.stderrLines.count == 1 && r.stderr.contains("invalid patch file"), "\(r.stderr)")
    }
}
