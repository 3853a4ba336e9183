import AudioIO
import Foundation
import Testing
import TestSupport

/// Unusual but valid input simply works: the same note in other containers, encodings, rates,
/// channel counts, levels and with leading silence reads as the same pitch.
@Suite struct ValidInputTests {
    enum Variant: String, CaseIterable, Sendable {
        case flac, ogg, aiff, eightBit, twentyFourBit, stereo, sixChannels, rate96k, quiet, leadingSilence
    }

    @Test(arguments: Variant.allCases)
    func analyzeFindsThePitch(_ v: Variant) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let trumpet = try AudioReader.read(path: Paths.target("trumpet-A4.wav"))
        var x = trumpet.samples, sr = trumpet.sampleRate, channels = 1
        var container = AudioContainer.wav, encoding = AudioEncoding.pcm16
        switch v {
        case .flac: container = .flac
        case .ogg: container = .ogg; encoding = .vorbis
        case .aiff: container = .aiff
        case .eightBit: encoding = .pcm8
        case .twentyFourBit: encoding = .pcm24
        case .stereo: channels = 2; x = x.flatMap { [$0, 0.5 * $0] }
        case .sixChannels: channels = 6; x = x.flatMap { s in (0..<6).map { Double($0 + 1) / 6 * s } }
        case .rate96k:                       // 2.2 × 440 Hz = 968 Hz tone at 96 kHz is not the trumpet: make a tone
            sr = 96000
            x = Tones.harmonic(f0: 440, amplitudes: [0.4, 0.2, 0.1, 0.05], sampleRate: sr, seconds: 1)
            encoding = .float32
        case .quiet: x = x.map { $0 * 0.001 }                     // -60 dB
        case .leadingSilence: x = [Double](repeating: 0, count: sr / 2) + x
        }
        let path = dir.path("note.\(container.rawValue)")
        try AudioWriter.write(path: path, interleaved: x, channels: channels, sampleRate: sr, container: container, encoding: encoding)
        let r = try fmevolve("analyze", path, "--json")
        try #require(r.status == 0, "\(v): \(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let f0 = obj["f0"] as! Double
        #expect(abs(f0 / 440 - 1) < 0.01, "\(v): f0 \(f0)")
        #expect(obj["channels"] as! Int == channels)
        #expect(obj["sample_rate"] as! Int == sr)
    }
}
