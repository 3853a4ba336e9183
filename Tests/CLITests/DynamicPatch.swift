import Foundation
import Testing
import TestSupport

/// A dynamic-FM patch written by hand as a version-2 patch file, at the trumpet's f0 and rate:
/// three units, 1.5 s. Amplitude envelopes have a breakpoint per analysis frame (every 256
/// samples, as fmevolve fits them); the index envelopes move as a refined patch's would:
///   unit 1, parallel c=1 m=1,2: I1 rises 0.3 → 3 rad in 0.1 s, falls to 1.5 at 0.6 s and holds;
///                               I2 falls 1.2 → 0.2 rad over 1 s
///   unit 2, cascade c=2 m=3,5:  I1 holds 0.5 to 0.02 s, rises to 3 at 0.15 s, falls to 1 at 0.9 s;
///                               I2 falls 1.2 → 1.1 at 0.0123457 s (between samples) → 0.2 at 0.7 s
///   unit 3, parallel c=3 m=1,1: static, I1 = 0.8, I2 = 0.4
/// The fixed indices of the dynamic units (1.5, 0.6 and 1, 0.4) differ from the envelopes, so an
/// export that ignored the envelopes would play another note. Unit 2's sidebands at its largest
/// indices reach harmonic 80 (35 kHz): the engines render at 2 × 44100 Hz.
enum DynamicPatch {
    static let note = "trumpet-A4", f0 = 440.36, sampleRate = 44100, samples = 66150, hop = 256

    /// Index envelopes [time s, rad] of units 1 and 2: (I1, I2).
    static let indexEnvelopes: [(index1: [[Double]], index2: [[Double]])] = [
        ([[0, 0.3], [0.1, 3.0], [0.6, 1.5]], [[0, 1.2], [1.0, 0.2]]),
        ([[0.02, 0.5], [0.15, 3.0], [0.9, 1.0]], [[0, 1.2], [0.0123457, 1.1], [0.7, 0.2]]),
    ]

    /// a(t) = peak · min(1, t/attack) · e^(−t/decay), faded out over the last 0.1 s, at every frame.
    static func amplitude(peak: Double, attack: Double, decay: Double) -> [[Double]] {
        let duration = Double(samples) / Double(sampleRate)
        return stride(from: 0, through: samples, by: hop).map { n in
            let t = Double(n) / Double(sampleRate)
            return [t, peak * min(1, t / attack) * exp(-t / decay) * min(1, max(0, (duration - t) / 0.1))]
        }
    }

    /// The patch as JSON: `dynamic: false` leaves out every index envelope (the same units, static).
    static func json(dynamic: Bool = true, target: String? = Paths.target("trumpet-A4.wav")) throws -> Data {
        var units: [[String: Any]] = [
            ["carrier": 1, "modulator1": 1, "modulator2": 2, "index1": 1.5, "index2": 0.6, "topology": "parallel",
             "envelope": amplitude(peak: 0.45, attack: 0.02, decay: 3),
             "index1_envelope": indexEnvelopes[0].index1, "index2_envelope": indexEnvelopes[0].index2],
            ["carrier": 2, "modulator1": 3, "modulator2": 5, "index1": 1.0, "index2": 0.4, "topology": "cascade",
             "envelope": amplitude(peak: 0.25, attack: 0.06, decay: 2),
             "index1_envelope": indexEnvelopes[1].index1, "index2_envelope": indexEnvelopes[1].index2],
            ["carrier": 3, "modulator1": 1, "modulator2": 1, "index1": 0.8, "index2": 0.4, "topology": "parallel",
             "envelope": amplitude(peak: 0.1, attack: 0.04, decay: 1.5)],
        ]
        if !dynamic { units = units.map { $0.filter { !$0.key.hasSuffix("_envelope") } } }
        var patch: [String: Any] = ["format": "fmevolve-patch", "version": dynamic ? 2 : 1, "name": "dynamic-A4", "f0": f0,
                                    "sample_rate": sampleRate, "samples": samples, "err": 0, "units": units,
                                    "fmevolve_version": "test"]
        if let target { patch["target"] = target }
        return try JSONSerialization.data(withJSONObject: patch, options: [.prettyPrinted, .sortedKeys])
    }
}

extension DynamicPatch {
    /// One cascade unit (c=1, m=1,2), 0.5 s, whose I1 has a breakpoint every 0.25 ms (11.025
    /// samples: mostly between samples), 2000 in all — I1(t) = 1.5 + 0.8 sin(2π·4t) + 0.05 sin(2π·37t),
    /// slopes up to 32 rad/s — and I2 rises 0.5 → 1 rad. Csound takes it as several `linseg`
    /// pieces, SuperCollider as an EnvGen of about 4000 segments.
    static func longJSON() throws -> Data {
        let index1 = (0..<2000).map { i -> [Double] in
            let t = Double(i) * 0.00025
            return [t, 1.5 + 0.8 * sin(2 * .pi * 4 * t) + 0.05 * sin(2 * .pi * 37 * t)]
        }
        let envelope = stride(from: 0, through: 22050, by: hop).map { n -> [Double] in
            let t = Double(n) / Double(sampleRate)
            return [t, 0.5 * min(1, t / 0.01) * min(1, max(0, (0.5 - t) / 0.05))]
        }
        let unit: [String: Any] = ["carrier": 1, "modulator1": 1, "modulator2": 2, "index1": 1.5, "index2": 0.5,
                                   "topology": "cascade", "envelope": envelope, "index1_envelope": index1,
                                   "index2_envelope": [[0, 0.5], [0.3, 1.0]]]
        let patch: [String: Any] = ["format": "fmevolve-patch", "version": 2, "name": "long-A4", "f0": f0, "sample_rate": sampleRate,
                                    "samples": 22050, "err": 0, "units": [unit], "fmevolve_version": "test"]
        return try JSONSerialization.data(withJSONObject: patch)
    }
}

/// The dynamic patch exported once per test process (csd, scd, svg, and fmevolve's WAV), and its
/// static twin; removed when the process exits.
final class DynamicPatchFixture: @unchecked Sendable {
    static let shared = DynamicPatchFixture()
    private static let root = FileManager.default.temporaryDirectory.appendingPathComponent("fmevolve-dynamic-\(UUID().uuidString)").path
    private let lock = NSLock()
    private var folder: String?

    private init() {
        atexit { try? FileManager.default.removeItem(atPath: DynamicPatchFixture.root) }
    }

    /// The folder holding dynamic-A4.json (and static-A4.json, its units without index envelopes)
    /// and `fmevolve export dynamic-A4.json --format wav --format csd --format scd --format svg`.
    func exported() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let folder { return folder }
        let dir = Self.root
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try DynamicPatch.json().write(to: URL(fileURLWithPath: "\(dir)/dynamic-A4.json"))
        try DynamicPatch.json(dynamic: false).write(to: URL(fileURLWithPath: "\(dir)/static-A4.json"))
        let x = try fmevolve("export", "\(dir)/dynamic-A4.json", "--format", "wav", "--format", "csd", "--format", "scd",
                             "--format", "svg", "--out", "\(dir)/out")
        try #require(x.status == 0, "\(x.stderr)")
        folder = dir
        return dir
    }

    /// A fresh folder for one test's renders.
    func scratch(_ label: String) throws -> String {
        let dir = "\(Self.root)/\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}
