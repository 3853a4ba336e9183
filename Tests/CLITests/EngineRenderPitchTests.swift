import Foundation
import Testing
import TestSupport

/// A moving pitch in the real engines: the hand-written dynamic patch (DynamicPatch) with issue 13's
/// test curve — a 40-cent attack scoop over 50 ms, a 5.5 Hz vibrato of ±20 cents from 0.3 s
/// whose depth and phase drift, and a 10-cent drift down — exported to .csd and .scd, rendered by
/// csound and scsynth at the rate the files name, compared with `fmevolve render` sample by sample,
/// and scored by fmscore (issue 13, acceptance 3: pitch_err_cents within 1 cent of fmevolve's own
/// WAV's and err within 0.01).
@Suite(.serialized) struct EngineRenderPitchTests {
    static var pitch: [String: Any] { [
        "glide": [[0, -40], [0.05, 0], [0.8, 0], [1.5, -10]],
        "vibrato": ["rate_hz": 5.5,
                    "depth": [[0.3, 0], [0.3001, 20], [1.0, 16], [1.5, 22]],
                    "phase": [[0.3, 0], [0.3001, 0], [1.0, 0.15], [1.5, 0.1]]],
    ] }

    /// The dynamic patch with the pitch curve, exported to wav, csd and scd; its folder.
    static func exported() throws -> String {
        let dir = try DynamicPatchFixture.shared.scratch("pitch")
        var patch = try #require(try JSONSerialization.jsonObject(with: DynamicPatch.json()) as? [String: Any])
        patch["version"] = 3
        patch["pitch"] = pitch
        patch["name"] = "pitch-A4"
        try JSONSerialization.data(withJSONObject: patch).write(to: URL(fileURLWithPath: "\(dir)/pitch-A4.json"))
        let x = try fmevolve("export", "\(dir)/pitch-A4.json", "--format", "wav", "--format", "csd", "--format", "scd", "--out", "\(dir)/out")
        try #require(x.status == 0, "\(x.stderr)")
        return dir
    }

    static func report(_ wav: String) throws -> (err: Double, pitch: Double) {
        let r = try fmscoreReport(target: Paths.target("\(DynamicPatch.note).wav"), candidate: wav)
        return (try #require(r["err"] as? Double), try #require(r["pitch_err_cents"] as? Double))
    }

    /// The curve is heard: fmevolve's render of the patch scored against its render without the
    /// curve (the dynamic patch) differs in pitch by more than 5 cents RMS (the curve's own RMS is
    /// about 14), so the 1-cent bound below tells an export that plays the curve from one that
    /// does not.
    @Test func thePitchCurveChangesThePitch() throws {
        let dir = try Self.exported()
        let r = try fmscoreReport(target: "\(dir)/out/pitch-A4.champion.wav",
                                  candidate: try DynamicPatchFixture.shared.exported() + "/out/dynamic-A4.champion.wav")
        let pitchErr = try #require(r["pitch_err_cents"] as? Double)
        print("pitch patch: pitch_err of the same patch without its curve: \(pitchErr) cents")
        #expect(pitchErr > 5)
    }

    /// csound: `phasor` of p4·exp(cents·ln2/1200), the curve on its sample grid — sample by sample
    /// within 1e-4 relative RMS of fmevolve's render (what the static and dynamic patches meet);
    /// fmscore's pitch_err within 1 cent of fmevolve's WAV and err within 0.01 (the bounds).
    @Test func csoundPlaysThePitchCurve() throws {
        let dir = try Self.exported(), out = try DynamicPatchFixture.shared.scratch("pitch-csound")
        let rate = try Engines.csdSampleRate("\(dir)/out/pitch-A4.csd")
        let c = try Engines.compareWithFMEvolve("\(dir)/out/pitch-A4.csd", patch: "\(dir)/pitch-A4.json", out: out, sampleRate: rate)
        print("pitch patch: csound at \(rate) Hz vs fmevolve render: \(c)")
        #expect(c.lengthDifference == 0, "\(c)")
        #expect(c.relativeRMS <= 1e-4, "\(c)")
        let ours = try Self.report("\(dir)/out/pitch-A4.champion.wav"), theirs = try Self.report("\(out)/csound.wav")
        print("pitch patch: fmscore fmevolve err \(ours.err) pitch_err \(ours.pitch); csound err \(theirs.err) pitch_err \(theirs.pitch)")
        #expect(abs(theirs.pitch - ours.pitch) <= 1, "pitch_err: fmevolve \(ours.pitch), csound \(theirs.pitch)")
        #expect(abs(theirs.err - ours.err) <= 0.01, "err: fmevolve \(ours.err), csound \(theirs.err)")
    }

    /// scsynth: freq · 2 ** (cents/1200) at audio rate (EnvGens on the sample grid, a SinOsc for the
    /// vibrato) — within 0.01 relative RMS (the dynamic patch's bound: SinOsc's float32 phase), and
    /// the fmscore bounds.
    @Test func scsynthPlaysThePitchCurve() throws {
        let dir = try Self.exported(), out = try DynamicPatchFixture.shared.scratch("pitch-scsynth")
        let rate = try Engines.scdSampleRate("\(dir)/out/pitch-A4.scd")
        let c = try Engines.compareWithFMEvolve("\(dir)/out/pitch-A4.osc", patch: "\(dir)/pitch-A4.json", out: out, sampleRate: rate)
        print("pitch patch: scsynth at \(rate) Hz vs fmevolve render: \(c)")
        #expect((0...64).contains(c.lengthDifference), "\(c)")
        #expect(c.relativeRMS <= 0.01, "\(c)")
        let ours = try Self.report("\(dir)/out/pitch-A4.champion.wav"), theirs = try Self.report("\(out)/scsynth.wav")
        print("pitch patch: fmscore fmevolve err \(ours.err) pitch_err \(ours.pitch); scsynth err \(theirs.err) pitch_err \(theirs.pitch)")
        #expect(abs(theirs.pitch - ours.pitch) <= 1, "pitch_err: fmevolve \(ours.pitch), scsynth \(theirs.pitch)")
        #expect(abs(theirs.err - ours.err) <= 0.01, "err: fmevolve \(ours.err), scsynth \(theirs.err)")
    }
}
