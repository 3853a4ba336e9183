import AudioIO
import Foundation
import Testing
import TestSupport

/// Patch files of both versions: a version-1 file (static indices, no index envelopes) still
/// renders the FM equation; a bad index envelope in a version-2 file is one error line naming the
/// field as the file spells it.
@Suite struct PatchFileVersionTests {
    /// Two static units at 220 Hz, 0.5 s (version 1, as fmevolve wrote before dynamic FM).
    static var units: [[String: Any]] { [
        ["carrier": 1, "modulator1": 1, "modulator2": 2, "index1": 1.0, "index2": 0.5, "topology": "parallel",
         "envelope": [[0, 0], [0.05, 0.6], [0.3, 0.4], [0.5, 0]]],
        ["carrier": 2, "modulator1": 1, "modulator2": 3, "index1": 0.8, "index2": 0.3, "topology": "cascade",
         "envelope": [[0, 0], [0.1, 0.3], [0.5, 0.1]]],
    ] }

    static func patch(version: Int, units: [[String: Any]] = units) -> [String: Any] {
        ["format": "fmevolve-patch", "version": version, "name": "static", "f0": 220.0, "sample_rate": 44100,
         "samples": 22050, "err": 0, "units": units, "fmevolve_version": "test"]
    }

    static func write(_ object: Any, to path: String) throws {
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
    }

    /// e(t), linear between [time, value] breakpoints, held outside.
    static func envelope(_ points: [[Double]], _ t: Double) -> Double {
        if t <= points[0][0] { return points[0][1] }
        guard let i = points.lastIndex(where: { $0[0] <= t }), i + 1 < points.count else { return points.last![1] }
        return points[i][1] + (t - points[i][0]) / (points[i + 1][0] - points[i][0]) * (points[i + 1][1] - points[i][1])
    }

    /// Every sample of the version-1 file's render is Σ e(t)·sin(cθ + I1 sin(m1θ) + I2 sin(m2θ))
    /// (parallel) or e(t)·sin(cθ + I1 sin(m1θ + I2 sin(m2θ))) (cascade), θ = 2π·220·t, within 1e-6
    /// (float32 WAV: 2^-24 of full scale; every sideband above −200 dB lies far below Nyquist, so
    /// the alias-free render and the plain equation agree).
    @Test func aVersion1FileRendersTheFMEquation() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Self.write(Self.patch(version: 1), to: dir.path("v1.json"))
        let r = try fmevolve("render", dir.path("v1.json"), "-o", dir.path("v1.wav"))
        try #require(r.status == 0, "\(r.stderr)")
        let a = try AudioReader.read(path: dir.path("v1.wav"))
        try #require(a.sampleRate == 44100 && a.samples.count == 22050)
        var worst = 0.0, at = 0
        for (n, y) in a.samples.enumerated() {
            let t = Double(n) / 44100, theta = 2 * Double.pi * 220 * t
            let p = 1.0 * sin(theta) + 0.5 * sin(2 * theta)
            let c = 0.8 * sin(theta + 0.3 * sin(3 * theta))
            let want = Self.envelope(Self.units[0]["envelope"] as! [[Double]], t) * sin(theta + p)
                + Self.envelope(Self.units[1]["envelope"] as! [[Double]], t) * sin(2 * theta + c)
            if abs(y - want) > worst { (worst, at) = (abs(y - want), n) }
        }
        #expect(worst <= 1e-6, "sample \(at) off by \(worst)")
    }

    /// Each bad index envelope: exit 2 and one line naming it ('units.J.indexN_envelope', with the
    /// breakpoint's position where one is at fault); the same file with good envelopes renders.
    @Test(arguments: [
        (0, "index1_envelope", "[[0, -0.5], [0.1, 1]]", "'units.0.index1_envelope.0'"),         // negative radians
        (0, "index1_envelope", "[[0, 101]]", "'units.0.index1_envelope.0'"),                    // beyond 100 rad
        (1, "index2_envelope", "[[0, 1], [0.2, 2], [0.1, 1]]", "'units.1.index2_envelope.2'"),  // time goes back
        (0, "index2_envelope", "[]", "'units.0.index2_envelope'"),                              // empty
        (1, "index1_envelope", "[[0, 1, 2]]", "'units.1.index1_envelope.0'"),                   // not a pair
        (0, "index1_envelope", "\"fast\"", "'units.0.index1_envelope'"),                        // not an array
    ])
    func aBadIndexEnvelopeIsOneLineNamingIt(unit: Int, field: String, value: String, named: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var units = Self.units
        for j in units.indices {                                    // good envelopes everywhere
            units[j]["index1_envelope"] = [[0, 0.5], [0.2, 2]]
            units[j]["index2_envelope"] = [[0, 1], [0.4, 0.2]]
        }
        try Self.write(Self.patch(version: 2, units: units), to: dir.path("good.json"))
        let good = try fmevolve("render", dir.path("good.json"), "-o", dir.path("good.wav"))
        #expect(good.status == 0, "\(good.stderr)")
        units[unit][field] = try JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed)
        try Self.write(Self.patch(version: 2, units: units), to: dir.path("bad.json"))
        let r = try fmevolve("render", dir.path("bad.json"), "-o", dir.path("bad.wav"))
        #expect(r.status == 2 && r.stderrLines.count == 1, "exit \(r.status): \(r.stderr)")
        #expect(r.stderr.hasPrefix("fmevolve: error: ") && r.stderr.contains(named), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("bad.wav")))
    }
}
