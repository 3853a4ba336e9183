import Foundation
import Testing
import TestSupport

/// `fmevolve render --pcm16`: a 16-bit PCM WAV, and one warning line counting the clipped
/// samples, checked against the float render of the same patch.
@Suite struct RenderOptionTests {
    /// A one-unit patch (a plain sine: carrier 1, indices 0) at 441 Hz, 0.5 s at 44.1 kHz, with
    /// envelope level `loud` from 0.2 s to 0.3 s and 0.5 elsewhere.
    static func sinePatch(_ dir: TemporaryDirectory, loud: Double) throws -> String {
        let path = dir.path("sine-\(loud).json")
        let patch: [String: Any] = [
            "format": "fmevolve-patch", "version": 1, "name": "sine", "f0": 441.0, "sample_rate": 44100,
            "samples": 22050, "err": 0, "fmevolve_version": "0.1.0",
            "units": [["carrier": 1, "modulator1": 1, "modulator2": 1, "index1": 0, "index2": 0, "topology": "parallel",
                       "envelope": [[0, 0.5], [0.2, 0.5], [0.2, loud], [0.3, loud], [0.3, 0.5], [0.5, 0.5]]]],
        ]
        try JSONSerialization.data(withJSONObject: patch).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A WAV file's format tag, bits per sample, channels and the bytes of its data chunk.
    struct WAV {
        var formatTag = 0, bits = 0, channels = 0
        var data = Data()

        init(_ path: String) throws {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
            func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
            try #require(bytes.count >= 12 && String(decoding: bytes[0..<4], as: UTF8.self) == "RIFF"
                         && String(decoding: bytes[8..<12], as: UTF8.self) == "WAVE")
            var i = 12
            while i + 8 <= bytes.count {
                let id = String(decoding: bytes[i..<(i + 4)], as: UTF8.self), size = u32(i + 4)
                if id == "fmt " { formatTag = u16(i + 8); channels = u16(i + 10); bits = u16(i + 22) }
                if id == "data" { data = Data(bytes[(i + 8)..<min(i + 8 + size, bytes.count)]) }
                i += 8 + size + (size & 1)
            }
        }

        /// The data as little-endian 32-bit floats.
        var float32: [Float] {
            let b = [UInt8](data)
            return stride(from: 0, to: b.count - 3, by: 4).map { j -> Float in
                var bits = UInt32(b[j + 3])
                for k in [2, 1, 0] { bits = bits << 8 | UInt32(b[j + k]) }
                return Float(bitPattern: bits)
            }
        }
        /// The data as little-endian 16-bit integers.
        var int16: [Int16] {
            let b = [UInt8](data)
            return stride(from: 0, to: b.count - 1, by: 2).map { j -> Int16 in
                Int16(bitPattern: UInt16(b[j + 1]) << 8 | UInt16(b[j]))
            }
        }
    }

    @Test func pcm16CountsTheClippedSamples() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let patch = try Self.sinePatch(dir, loud: 1.5)

        // the float render: no warning, 32-bit IEEE float, samples beyond ±1 kept
        let f = try fmevolve("render", patch, "-o", dir.path("float.wav"))
        #expect(f.status == 0 && f.stderr.isEmpty, "\(f.stderr)")
        let float = try WAV(dir.path("float.wav"))
        #expect(float.formatTag == 3 && float.bits == 32 && float.channels == 1)
        let y = float.float32
        #expect(y.count == 22050)
        let over = y.filter { abs($0) > 1 }.count
        // independently: the samples n of the loud stretch 0.2 s < n/44100 < 0.3 s where
        // |1.5 sin(2π n/100)| > 1, plus at most its two end samples (where the envelope jumps)
        let inside = (8821..<13230).filter { abs(1.5 * sin(2 * Double.pi * Double($0 % 100) / 100)) > 1 }.count
        #expect(over >= inside && over <= inside + 2, "\(over) samples beyond ±1, \(inside) inside the loud stretch")

        let p = try fmevolve("render", patch, "-o", dir.path("pcm.wav"), "--pcm16")
        #expect(p.status == 0)
        #expect(p.stdout == dir.path("pcm.wav") + "\n")
        #expect(p.stderrLines == ["fmevolve: warning: \(over) samples clipped in 16-bit output"])
        let pcm = try WAV(dir.path("pcm.wav"))
        #expect(pcm.formatTag == 1 && pcm.bits == 16 && pcm.channels == 1)
        let s = pcm.int16
        try #require(s.count == y.count)
        // every sample is the float one to 16-bit resolution (one step, 1/32768), or clipped
        var clippedInFile = 0
        for i in s.indices {
            if abs(y[i]) > 1 {
                #expect(s[i] == (y[i] > 0 ? Int16.max : Int16.min), "sample \(i): \(s[i]) for \(y[i])")
                clippedInFile += 1
            } else {
                #expect(abs(Double(s[i]) / 32768 - Double(y[i])) <= 1.0 / 32768, "sample \(i): \(s[i]) for \(y[i])")
            }
        }
        #expect(clippedInFile == over)
    }

    @Test func withinRangeGivesNoWarning() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let patch = try Self.sinePatch(dir, loud: 0.9)
        let p = try fmevolve("render", patch, "-o", dir.path("pcm.wav"), "--pcm16")
        #expect(p.status == 0)
        #expect(p.stderr.isEmpty, "\(p.stderr)")
        let pcm = try WAV(dir.path("pcm.wav"))
        #expect(pcm.formatTag == 1 && pcm.bits == 16)
        // the loud stretch is there: peak 0.9 · 32768 to one step
        #expect(abs(Double(pcm.int16.map { abs(Int($0)) }.max() ?? 0) - 0.9 * 32768) <= 1)
    }
}
