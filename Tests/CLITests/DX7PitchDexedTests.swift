import Foundation
import Testing
import TestSupport

/// Dexed (dexed-py in the test-only .venv-dexed) plays the pitch EG and LFO the DX7 export writes
/// for a moving pitch.
@Suite(.serialized) struct DX7PitchDexedTests {
    /// A version-3 patch whose pitch scoops up from −40 cents in 50 ms and has a 5.5 Hz vibrato of
    /// ±20 cents from 0.3 s, full by 0.48 s (one two-operator unit at 440 Hz, MIDI note 69, so the
    /// DX7 plays f0 itself), exported without a target and rendered by Dexed, against fmevolve's
    /// render of the patch (fmscore):
    /// - Dexed's pitch moves as much as fmevolve's (pitch_dev_cents within 2 cents; measured
    ///   12.09 vs 12.35; a voice without pitch modulation scores about 0);
    /// - pitch_err_cents ≤ 12 (measured 10.21; the flat voice the export wrote before scored
    ///   12.31). The scoop costs little (the pitch EG is within 0.31 cents RMS of the glide); the
    ///   vibrato's phase is what remains: the LFO is key-synced, its sine at 5.4916 Hz runs
    ///   −sin(2π·f·t) from key-on, 0.15 cycles from the vibrato's phase at its onset (0.16 by the
    ///   end), which gives √2·20·sin(0.15π) ≈ 13 cents RMS where the depth is full, less in the
    ///   fade-in and before;
    /// - and the export's own account of that error (the .syx.json's vs_pitch_curve_rms_cents, the
    ///   simulated EG and LFO against the patch's curve, 10.75) is within 2 cents of fmscore's.
    @Test func dexedPlaysThePitchEGAndVibrato() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let patch = """
        {"format": "fmevolve-patch", "version": 3, "name": "moving", "f0": 440, "sample_rate": 44100, "samples": 88200, "err": 0,
         "units": [{"carrier": 1, "modulator1": 1, "modulator2": 1, "index1": 1.0, "index2": 0, "topology": "cascade",
                    "envelope": [[0, 0], [0.01, 0.5], [1.6, 0.5], [1.7, 0]]}],
         "pitch": {"glide": [[0, -40], [0.05, 0], [2, 0]],
                   "vibrato": {"rate_hz": 5.5, "depth": [[0.3, 0], [0.48, 20], [2, 20]], "phase": [[0.3, 0], [0.48, 0], [2, 0]]}},
         "fmevolve_version": "test"}
        """
        try patch.write(toFile: dir.path("moving.json"), atomically: true, encoding: .utf8)
        let out = dir.path("x")
        let r = try fmevolve("export", dir.path("moving.json"), "--format", "wav", "--format", "syx", "--out", out)
        try #require(r.status == 0, "\(r.stderr)")
        let note = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/moving.syx.json"))) as? [String: Any])
        let pitch = try #require(note["pitch"] as? [String: Any], "the .syx.json accounts for the pitch")
        let modelled = try #require(pitch["vs_pitch_curve_rms_cents"] as? Double)
        try DX7DynamicTests.dexed("\(out)/moving.syx", note: "\(out)/moving.syx.json", to: dir.path("dexed.wav"))
        let ours = "\(out)/moving.champion.wav", dexed = dir.path("dexed.wav")
        let report = try fmscoreReport(target: ours, candidate: dexed)
        let err = try #require(report["pitch_err_cents"] as? Double), ourMove = try #require(report["pitch_dev_cents"] as? Double)
        let theirMove = try #require(try fmscoreReport(target: dexed, candidate: ours)["pitch_dev_cents"] as? Double)
        print(String(format: "moving pitch: Dexed vs fmevolve pitch_err %.2f cents (modelled %.2f); pitch_dev fmevolve %.2f, Dexed %.2f; EG %@ %@, LFO %@",
                     err, modelled, ourMove, theirMove, "\(pitch["eg_rates"] ?? "")", "\(pitch["eg_levels"] ?? "")", "\(pitch["lfo"] ?? "")"))
        #expect(abs(theirMove - ourMove) <= 2, "Dexed's pitch moves \(theirMove) cents, fmevolve's \(ourMove)")
        #expect(err <= 12, "pitch_err \(err) cents")
        #expect(abs(err - modelled) <= 2, "fmscore \(err) cents, the export's model \(modelled)")
    }
}
