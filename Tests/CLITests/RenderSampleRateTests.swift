import AudioIO
import Foundation
import Testing
import TestSupport

/// `fmevolve render --sample-rate HZ`: the patch on its own timeline and pitch at another rate.
@Suite struct RenderSampleRateTests {
    /// A unit with both indices 0 is env(t)·sin(2π·f0·t): the known answer.
    static func sinePatch(samples: Int) -> String {
        """
        {"format": "fmevolve-patch", "version": 1, "name": "sine", "f0": 441.7, "sample_rate": 44100, "samples": \(samples),
         "err": 0, "units": [{"carrier": 1, "modulator1": 1, "modulator2": 1, "index1": 0, "index2": 0, "topology": "parallel",
                              "envelope": [[0, 0], [0.1, 0.8], [0.5, 0.3], [0.9, 0]]}],
         "fmevolve_version": "test"}
        """
    }

    static func envelope(_ t: Double) -> Double {
        let points = [(0.0, 0.0), (0.1, 0.8), (0.5, 0.3), (0.9, 0.0)]
        guard t < 0.9 else { return 0 }
        let i = points.lastIndex { $0.0 <= t }!
        let (t0, v0) = points[i], (t1, v1) = points[i + 1]
        return v0 + (t - t0) / (t1 - t0) * (v1 - v0)
    }

    /// At 96000 Hz every sample is env(n/96000)·sin(2π·441.7·n/96000) within 1e-7 (float32 WAV:
    /// ≤ 0.8·2^-24 ≈ 5e-8), and the length is the patch's duration × 96000, rounded
    /// (44110 / 44100 s × 96000 = 96021.8 → 96022).
    @Test func sinePatchKeepsItsTimelineAndPitchAt96kHz() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Self.sinePatch(samples: 44110).write(toFile: dir.path("sine.json"), atomically: true, encoding: .utf8)
        let r = try fmevolve("render", dir.path("sine.json"), "-o", dir.path("sine96.wav"), "--sample-rate", "96000")
        try #require(r.status == 0, "\(r.stderr)")
        let a = try AudioReader.read(path: dir.path("sine96.wav"))
        #expect(a.sampleRate == 96000)
        try #require(a.samples.count == 96022, "\(a.samples.count) samples")
        var worst = 0.0, at = 0
        for (n, y) in a.samples.enumerated() {
            let t = Double(n) / 96000
            let d = abs(y - Self.envelope(t) * sin(2 * .pi * 441.7 * t))
            if d > worst { (worst, at) = (d, n) }
        }
        #expect(worst <= 1e-7, "sample \(at) off by \(worst)")
    }

    /// Rates outside 1…768000 are usage errors (one line, exit 64); 768000 itself renders.
    @Test func sampleRateIsValidated() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Self.sinePatch(samples: 441).write(toFile: dir.path("sine.json"), atomically: true, encoding: .utf8)
        for bad in ["0", "-44100", "768001", "fast"] {
            let r = try fmevolve("render", dir.path("sine.json"), "-o", dir.path("x.wav"), "--sample-rate", bad)
            #expect(r.status == 64, "--sample-rate \(bad): exit \(r.status)")
            #expect(r.stderrLines.count == 1 && r.stderr.hasPrefix("fmevolve: error: "), "--sample-rate \(bad): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.path("x.wav")))
        }
        let r = try fmevolve("render", dir.path("sine.json"), "-o", dir.path("top.wav"), "--sample-rate", "768000")
        try #require(r.status == 0, "\(r.stderr)")
        let a = try AudioReader.read(path: dir.path("top.wav"))
        #expect(a.sampleRate == 768_000 && a.samples.count == 7680)
    }
}
