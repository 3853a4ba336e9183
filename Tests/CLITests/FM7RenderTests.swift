import AudioIO
import Foundation
import Testing
import TestSupport

/// The norns FM7 mapping, played by the FM7 UGen itself (fm7-01.scsyndef/.osc in scsynth), equals
/// an independent model of that UGen (FM7Model) playing the preset's own values (fm7-01.pset):
/// the scsyndef plays the preset, and the preset is what the model says it is.
@Suite(.serialized) struct FM7RenderTests {
    /// Relative RMS between scsynth's FM7 render and the model, which follows FM7's fixed-point
    /// phase exactly and leaves out only float32 arithmetic: the sine table (8192 points, linear
    /// interpolation: ≤ 7e-8), phase modulation rounded to float32 (≤ 4e-7 rad), the amp ramps
    /// accumulated in float32 (64 additions per block, ≈ 1e-6) and float32 samples in the WAV.
    /// Measured 2.5e-6 and 1.9e-6 at 176400 Hz, 5.0e-6 and 2.6e-6 at 48000 Hz (trumpet, clarinet).
    /// Models that are slightly wrong score far above 1e-4: the release one block late 1.2e-3 to
    /// 1.2e-2, the ideal phase instead of FM7's truncated increments 4.7e-4 to 4.4e-3, modulation
    /// without the one-sample delay 0.04 to 0.33; scsynth with an envelope curve of −3 instead of −4
    /// scores 0.02 and 0.07.
    static let tolerance = 1e-4

    /// The gate's fall: the second bundle of fm7-01.osc (/n_set gate 0); the first starts the synth.
    static func gateTimetag(_ score: String) throws -> UInt64 {
        let s = try OSCScore(path: score)
        try #require(s.bundles.count == 3, "fm7-01.osc has \(s.bundles.count) bundles")
        #expect(s.bundles[0].timetag == 0 && s.bundles[0].addresses == ["/d_recv", "/s_new"])
        #expect(s.bundles[1].addresses == ["/n_set"])
        return s.bundles[1].timetag
    }

    /// Renders fm7-01.osc in scsynth and the model at `rate`; returns the comparison.
    static func compare(_ dir: String, _ out: String, f0: Double, rate: Int) throws -> SampleComparison {
        let gate = try gateTimetag("\(dir)/fm7-01.osc")
        let wav = "\(out)/fm7-\(rate).wav"
        try Engines.renderScsynth("\(dir)/fm7-01.osc", to: wav, sampleRate: rate)
        let engine = try AudioReader.read(path: wav)
        try #require(engine.sampleRate == rate)
        // the model over the score's length: NRT renders whole blocks past the last bundle
        let end = try #require(OSCScore(path: "\(dir)/fm7-01.osc").bundles.last).timetag
        let count = Int((Double(end) / 4_294_967_296 * Double(rate)).rounded())
        let model = FM7Model.render(try Pset(path: "\(dir)/fm7-01.pset"), f0: f0, sampleRate: rate, gateTimetag: gate, count: count)
        return SampleComparison(engine: engine.samples, reference: model)
    }

    @Test(arguments: EngineRenderTests.notes)
    func fm7MappingIsWhatTheFM7UGenPlays(note: String) throws {
        let dir = try EngineFixture.shared.exported(note), out = try EngineFixture.shared.scratch(note, "fm7")
        let patch = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(note).champion.json"))) as! [String: Any]
        let f0 = patch["f0"] as! Double
        // 176400 Hz: the rate the README's headless command uses; 48000 Hz: a norns
        for rate in [176_400, 48_000] {
            let c = try Self.compare(dir, out, f0: f0, rate: rate)
            print("\(note): FM7 in scsynth at \(rate) Hz vs the model of the preset: \(c)")
            #expect((0...64).contains(c.lengthDifference), "\(c)")
            #expect(c.relativeRMS <= Self.tolerance, "\(rate) Hz: \(c)")
        }

        // fmevolve's ideal version of the same 2-unit ADSR mapping (no modulation delay; each
        // modulator's index its amount times its own ADSR): the difference in err is what the FM7
        // UGen costs
        let pset = try Pset(path: "\(dir)/fm7-01.pset")
        let gate = Double(try Self.gateTimetag("\(dir)/fm7-01.osc")) / 4_294_967_296
        let ideal = FM7Model.idealPatch(pset, f0: f0, sampleRate: patch["sample_rate"] as! Int,
                                        samples: patch["samples"] as! Int, gateTime: gate)
        try JSONSerialization.data(withJSONObject: ideal).write(to: URL(fileURLWithPath: "\(out)/ideal.json"))
        try Engines.renderFMEvolve("\(out)/ideal.json", to: "\(out)/ideal.wav", sampleRate: 176_400)
        let target = Paths.target("\(note).wav")
        let errIdeal = try fmscore(target: target, candidate: "\(out)/ideal.wav")
        let err176 = try fmscore(target: target, candidate: "\(out)/fm7-176400.wav")
        let err48 = try fmscore(target: target, candidate: "\(out)/fm7-48000.wav")
        print(String(format: "%@: fmscore err of the FM7 mapping: fmevolve's ideal render %.4f, FM7 UGen at 176400 Hz %.4f, at 48000 Hz %.4f",
                     note, errIdeal, err176, err48))
    }
    /// A note that starts at its peak and stops within 4 ms: its ADSR has no attack and a release
    /// shorter than the FM7 params allow (opAmpA, opAmpR ≥ 0.01 s), and no decay; the .scsyndef must
    /// still play the values the preset holds.
    @Test func fm7MappingOfASharpNoteIsWhatTheFM7UGenPlays() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let patch = """
        {"format": "fmevolve-patch", "version": 1, "name": "sharp", "f0": 440, "sample_rate": 44100, "samples": 66150, "err": 0,
         "units": [{"carrier": 1, "modulator1": 2, "modulator2": 3, "index1": 1.5, "index2": 0.5, "topology": "parallel",
                    "envelope": [[0, 0.5], [1.0, 0.5], [1.004, 0]]},
                   {"carrier": 3, "modulator1": 1, "modulator2": 4, "index1": 0.8, "index2": 1.2, "topology": "cascade",
                    "envelope": [[0, 0.2], [1.0, 0.2], [1.004, 0]]}],
         "fmevolve_version": "test"}
        """
        try patch.write(toFile: dir.path("sharp.json"), atomically: true, encoding: .utf8)
        let r = try fmevolve("export", dir.path("sharp.json"), "--format", "pset", "--out", dir.path("x"))
        try #require(r.status == 0, "\(r.stderr)")
        let pset = try Pset(path: dir.path("x/fm7-01.pset"))
        #expect(pset["opAmpA1"] == 0.01 && pset["opAmpD1"] == 0 && pset["opAmpR1"] == 0.01)
        let c = try Self.compare(dir.path("x"), dir.path("x"), f0: 440, rate: 176_400)
        print("sharp note: FM7 in scsynth at 176400 Hz vs the model of the preset: \(c)")
        #expect((0...64).contains(c.lengthDifference), "\(c)")
        #expect(c.relativeRMS <= Self.tolerance, "\(c)")
    }
}
