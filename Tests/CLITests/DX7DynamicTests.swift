import Analysis
import AudioIO
import Foundation
import Testing
import TestSupport

/// Dexed (dexed-py in the test-only .venv-dexed) plays what the DX7 export writes for moving
/// indices: a modulator's EG is its index envelope, and the .dx7.json is what the voice plays.
@Suite(.serialized) struct DX7DynamicTests {
    static var python: String { Paths.root.appendingPathComponent(".venv-dexed/bin/python").path }

    /// Renders voice 1 of a cartridge as fmevolve scored it (scripts/dexed-render.py).
    static func dexed(_ syx: String, note: String, to wav: String) throws {
        try #require(FileManager.default.isExecutableFile(atPath: python), "dexed-py is not installed; 'make test' creates .venv-dexed")
        let d = try run(python, [Paths.root.appendingPathComponent("scripts/dexed-render.py").path, syx, note, wav])
        try #require(d.status == 0, "\(d.stderr.suffix(600))")
    }

    /// Brightness of each frame: the amplitude-weighted mean harmonic number Σ k·b_k / Σ b_k.
    static func centroids(_ tracks: [Double], harmonics K: Int) -> [Double] {
        stride(from: 0, to: tracks.count, by: K).map { row in
            let b = tracks[row..<(row + K)]
            let sum = b.reduce(0, +)
            return sum > 0 ? zip(1...K, b).reduce(0) { $0 + Double($1.0) * $1.1 } / sum : 0
        }
    }

    /// One unit (c = m1 = 1, a two-operator stack) whose index rises 0.3 → 3 rad in 0.1 s and
    /// falls to 1.5 rad by 0.5 s, amplitude 0.5 from 10 ms to 1.5 s; exported without a target,
    /// so the voice is fitted to the patch's own render. Dexed's render follows fmevolve's: its
    /// harmonics over the note are within relative spectral error 0.15 of fmevolve's (measured
    /// 0.108; the cartridge the export wrote before dynamic FM, the modulator held at 1.5 rad,
    /// 0.204), and it is brighter at the index's peak than in the sustain, as fmevolve's render
    /// is (centroid in harmonics, measured: fmevolve 2.39 at 0.1 s, 2.09 at 1 s; Dexed 2.49 and
    /// 2.16).
    @Test func dexedPlaysTheModulatorsIndexEnvelope() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let patch = """
        {"format": "fmevolve-patch", "version": 2, "name": "rise", "f0": 440, "sample_rate": 44100, "samples": 88200, "err": 0,
         "units": [{"carrier": 1, "modulator1": 1, "modulator2": 1, "index1": 1.5, "index2": 0, "topology": "cascade",
                    "envelope": [[0, 0], [0.01, 0.5], [1.5, 0.5], [1.6, 0]],
                    "index1_envelope": [[0, 0.3], [0.1, 3.0], [0.5, 1.5]]}],
         "fmevolve_version": "test"}
        """
        try patch.write(toFile: dir.path("rise.json"), atomically: true, encoding: .utf8)
        let out = dir.path("x")
        let r = try fmevolve("export", dir.path("rise.json"), "--format", "wav", "--format", "syx", "--out", out)
        try #require(r.status == 0, "\(r.stderr)")
        try Self.dexed("\(out)/rise.syx", note: "\(out)/rise.syx.json", to: dir.path("dexed.wav"))
        let ours = try AudioReader.read(path: "\(out)/rise.champion.wav")
        let analysis = try TargetAnalysis.analyse(ours, f0: 440)
        let theirs = try AudioReader.read(path: dir.path("dexed.wav"))
        let tracks = analysis.tracks(of: theirs.samples)
        let err = analysis.relativeSpectralError(tracks)
        let K = analysis.harmonicCount
        let a = Self.centroids(analysis.amplitudes, harmonics: K), b = Self.centroids(tracks, harmonics: K)
        func frame(_ t: Double) -> Int { Int((t * 44100 / Double(analysis.parameters.hop)).rounded()) }
        let (peak, sustain) = (frame(0.1), frame(1.0))
        print(String(format: "rise: Dexed vs fmevolve err %.4f; centroid at 0.1 s / 1 s: fmevolve %.3f / %.3f, Dexed %.3f / %.3f",
                     err, a[peak], a[sustain], b[peak], b[sustain]))
        #expect(err <= 0.15, "Dexed's harmonics vs fmevolve's: \(err)")
        #expect(a[peak] - a[sustain] > 0.2, "the patch itself: \(a[peak]) vs \(a[sustain])")
        #expect(b[peak] - b[sustain] > 0.5 * (a[peak] - a[sustain]), "Dexed: \(b[peak]) at the peak vs \(b[sustain]) in the sustain")
    }

    /// The .dx7.json is the patch the voice plays (carriers' and modulators' EGs as msfa runs
    /// them): fmevolve's render of it scores within 0.01 of Dexed's render of the .syx against
    /// the recording (fmscore; measured: trumpet 0.0864 vs 0.0887, clarinet 0.1478 vs 0.1517).
    @Test(arguments: EngineRenderTests.notes)
    func theDX7PatchIsWhatDexedPlays(note: String) throws {
        let dir = try EngineFixture.shared.exported(note), out = try EngineFixture.shared.scratch(note, "dx7json")
        try Self.dexed("\(dir)/\(note).syx", note: "\(dir)/\(note).syx.json", to: "\(out)/dexed.wav")
        let r = try fmevolve("render", "\(dir)/\(note).dx7.json", "-o", "\(out)/dx7.wav")
        try #require(r.status == 0, "\(r.stderr)")
        let target = Paths.target("\(note).wav")
        let played = try fmscore(target: target, candidate: "\(out)/dx7.wav"), dexed = try fmscore(target: target, candidate: "\(out)/dexed.wav")
        print("\(note): fmscore err of the .dx7.json's render \(played), of Dexed's render of the .syx \(dexed)")
        #expect(abs(played - dexed) <= 0.01, ".dx7.json \(played), Dexed \(dexed)")
    }
}
