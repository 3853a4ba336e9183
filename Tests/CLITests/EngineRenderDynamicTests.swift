import Foundation
import Testing
import TestSupport

/// Dynamic FM in the real engines, sample by sample: the hand-written dynamic patch (DynamicPatch:
/// index envelopes rising, falling, held, one breakpoint between samples; a parallel and a cascade
/// unit and a static one) exported to .csd and .scd, rendered by csound and scsynth at the rate the
/// files name, and compared with `fmevolve render --sample-rate` of the patch file at that rate
/// (SampleComparison: relative RMS over the note), then scored by fmscore against the trumpet the
/// patch borrows its f0 from (the err is far from a match's; what matters is that the engines'
/// renders score as fmevolve's own does).
@Suite(.serialized) struct EngineRenderDynamicTests {
    /// fmscore's err of a render against the trumpet.
    static func err(_ wav: String) throws -> Double {
        try fmscore(target: Paths.target("\(DynamicPatch.note).wav"), candidate: wav)
    }

    /// The patch exercises its envelopes: with its units' fixed indices instead (the same file
    /// without index envelopes) fmevolve's render differs by more than 0.3 relative RMS, so the
    /// bounds below (1e-4, 0.01) tell an export that plays the envelopes from one that does not.
    @Test func theIndexEnvelopesChangeTheSound() throws {
        let dir = try DynamicPatchFixture.shared.exported(), out = try DynamicPatchFixture.shared.scratch("static")
        try Engines.renderFMEvolve("\(dir)/dynamic-A4.json", to: "\(out)/dynamic.wav", sampleRate: DynamicPatch.sampleRate)
        try Engines.renderFMEvolve("\(dir)/static-A4.json", to: "\(out)/static.wav", sampleRate: DynamicPatch.sampleRate)
        let c = try SampleComparison(engine: "\(out)/static.wav", reference: "\(out)/dynamic.wav", sampleRate: DynamicPatch.sampleRate)
        print("dynamic patch: its static twin vs itself: \(c)")
        #expect(c.relativeRMS > 0.3, "\(c)")
    }

    /// csound plays the index envelopes from `linseg` on its sample grid: same length, relative RMS
    /// ≤ 1e-4 (the bound of the static champions' test, EngineRenderTests). What differs: csound's
    /// interpolated sine table and float32 samples (as for static patches), and fmevolve's own
    /// render of moving indices, which interpolates the spectra linearly between points 32 samples
    /// apart (PatchRenderer: of order (ΔI)²/8 of the unit's amplitude). Measured 1.4e-6 at 88200 Hz;
    /// the csd's rate is 2 × 44100 (unit 2 at its largest indices; its fixed ones need 1×).
    @Test func csoundPlaysTheIndexEnvelopesSampleBySample() throws {
        let dir = try DynamicPatchFixture.shared.exported(), out = try DynamicPatchFixture.shared.scratch("csound")
        let rate = try Engines.csdSampleRate("\(dir)/out/dynamic-A4.csd")
        #expect(rate == 2 * DynamicPatch.sampleRate, "unit 2's sidebands at I1 = 3, I2 = 1.2 need 2×")
        let c = try Engines.compareWithFMEvolve("\(dir)/out/dynamic-A4.csd", patch: "\(dir)/dynamic-A4.json", out: out, sampleRate: rate)
        print("dynamic patch: csound at \(rate) Hz vs fmevolve render: \(c)")
        #expect(c.lengthDifference == 0, "\(c)")
        #expect(c.relativeRMS <= 1e-4, "\(c)")
        let ours = try Self.err("\(dir)/out/dynamic-A4.champion.wav"), theirs = try Self.err("\(out)/csound.wav")
        print("dynamic patch: fmscore err fmevolve \(ours), csound \(theirs)")
        #expect(abs(theirs - ours) <= 0.002, "fmscore err: fmevolve \(ours), csound \(theirs)")
    }

    /// scsynth plays the compiled SynthDef, each moving index an EnvGen of linear segments on the
    /// sample grid of the rate the .scd names: whole control blocks (0–64 samples longer), relative
    /// RMS ≤ 0.01. What differs is mostly SinOsc's truncated phase increment (EngineRenderTests),
    /// which grows through the note; measured 1.4e-3 at 88200 Hz.
    @Test func scsynthPlaysTheIndexEnvelopesSampleBySample() throws {
        let dir = try DynamicPatchFixture.shared.exported(), out = try DynamicPatchFixture.shared.scratch("scsynth")
        let rate = try Engines.scdSampleRate("\(dir)/out/dynamic-A4.scd")
        #expect(rate == 2 * DynamicPatch.sampleRate, "the .scd names the .csd's rate")
        let c = try Engines.compareWithFMEvolve("\(dir)/out/dynamic-A4.osc", patch: "\(dir)/dynamic-A4.json", out: out, sampleRate: rate)
        print("dynamic patch: scsynth at \(rate) Hz vs fmevolve render: \(c)")
        #expect((0...64).contains(c.lengthDifference), "\(c)")
        #expect(c.relativeRMS <= 0.01, "\(c)")
        let ours = try Self.err("\(dir)/out/dynamic-A4.champion.wav"), theirs = try Self.err("\(out)/scsynth.wav")
        print("dynamic patch: fmscore err fmevolve \(ours), scsynth \(theirs)")
        #expect(abs(theirs - ours) <= 0.002, "fmscore err: fmevolve \(ours), scsynth \(theirs)")
    }

    /// An index envelope of 2000 breakpoints (DynamicPatch.longJSON): csound plays it as a sum of
    /// `linseg` pieces (an opcode takes fewer than 1999 inputs) within 1e-4, scsynth as one EnvGen
    /// of ~4000 segments within 0.01. fmevolve's own render interpolates spectra over at most 11
    /// samples here, (ΔI)²/8 ≈ 1e-5. Measured: csound 3.9e-6, scsynth 7e-4 (44100 Hz).
    @Test func aLongIndexEnvelopePlaysInBothEngines() throws {
        let out = try DynamicPatchFixture.shared.scratch("long")
        try DynamicPatch.longJSON().write(to: URL(fileURLWithPath: "\(out)/long-A4.json"))
        let x = try fmevolve("export", "\(out)/long-A4.json", "--format", "csd", "--format", "scd", "--out", out)
        try #require(x.status == 0, "\(x.stderr)")
        let csd = try String(contentsOfFile: "\(out)/long-A4.csd", encoding: .utf8)
        #expect(csd.components(separatedBy: " linseg ").count - 1 >= 4, "I1 in 3 or more pieces, I2 in one")
        let rate = try Engines.csdSampleRate("\(out)/long-A4.csd")
        try Engines.renderFMEvolve("\(out)/long-A4.json", to: "\(out)/fmevolve.wav", sampleRate: rate)
        try Engines.renderCsound("\(out)/long-A4.csd", to: "\(out)/csound.wav")
        let c = try SampleComparison(engine: "\(out)/csound.wav", reference: "\(out)/fmevolve.wav", sampleRate: rate)
        print("long index envelope: csound at \(rate) Hz vs fmevolve render: \(c)")
        #expect(c.lengthDifference == 0 && c.relativeRMS <= 1e-4, "\(c)")
        try Engines.renderScsynth("\(out)/long-A4.osc", to: "\(out)/scsynth.wav", sampleRate: try Engines.scdSampleRate("\(out)/long-A4.scd"))
        let s = try SampleComparison(engine: "\(out)/scsynth.wav", reference: "\(out)/fmevolve.wav", sampleRate: rate)
        print("long index envelope: scsynth at \(rate) Hz vs fmevolve render: \(s)")
        #expect((0...64).contains(s.lengthDifference) && s.relativeRMS <= 0.01, "\(s)")
    }

    /// The readable .scd, run by sclang with the recipe in its comments, renders as the compiled
    /// SynthDef does (≤ 1e-6, as ScdSclangTests for static patches): its EnvGens are the same.
    @Test func sclangPlaysTheDynamicScdLikeTheCompiledSynthDef() throws {
        let dir = try DynamicPatchFixture.shared.exported(), out = try DynamicPatchFixture.shared.scratch("sclang")
        let scd = "\(dir)/out/dynamic-A4.scd"
        let rate = try Engines.scdSampleRate(scd)
        let c = try Engines.sclangAgainstCompiled(scd: scd, recipe: try ScdSclangTests.recipe(scd), osc: "\(dir)/out/dynamic-A4.osc",
                                                  wav: "dynamic-A4-sc.wav", out: out, sampleRate: rate)
        print("dynamic patch: sclang's render of the .scd vs scsynth's of the compiled SynthDef: \(c)")
        #expect(c.lengthDifference == 0, "\(c)")
        #expect(c.relativeRMS <= 1e-6, "\(c)")
    }
}
