import AudioIO
import Foundation
import Testing
import TestSupport

/// The readable .scd source, run by sclang as a user would: its SynthDef block, then the
/// non-real-time render its comments give ("From sclang instead …: Score(…).recordNRT(…)"), headless.
@Suite(.serialized) struct ScdSclangTests {
    /// The recordNRT recipe in the .scd's comments, uncommented, exiting sclang when the render is done.
    static func recipe(_ scd: String) throws -> String {
        let lines = try String(contentsOfFile: scd, encoding: .utf8).split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex { $0.hasPrefix("// Score(") }, "no sclang recipe in \(scd)")
        let code = lines[start...].prefix { $0.hasPrefix("// ") }.map { $0.dropFirst(3) }.joined(separator: "\n")
        try #require(code.hasSuffix(");") && code.contains(".recordNRT("), "unexpected recipe: \(code)")
        return String(code.dropLast(2)) + ", action: { 0.exit });"
    }

    /// sclang runs the .scd and its recipe; the render equals scsynth's render of fmevolve's own
    /// compiled .scsyndef/.osc at the same rate to 1e-6 relative RMS (both are the same UGen graph
    /// in float32; sclang's constants come from the .scd's 10-digit numbers, fmevolve's from
    /// doubles, and both round to the same float32 but for rare ties). Measured 0 (clarinet) and
    /// 1.7e-9 (trumpet). The recipe renders at the .scd's rate and names its output file.
    @Test(arguments: EngineRenderTests.notes)
    func sclangPlaysTheScdLikeTheCompiledSynthDef(note: String) throws {
        let sclang = try Engines.sclang()
        let timeout = try #require(which("timeout"), "coreutils' timeout is missing")
        let dir = try EngineFixture.shared.exported(note), out = try EngineFixture.shared.scratch(note, "sclang")
        let rate = try Engines.scdSampleRate("\(dir)/\(note).scd")
        let script = """
            {
                "\(dir)/\(note).scd".load;
            \(try Self.recipe("\(dir)/\(note).scd"))
            }.try { |error| error.reportError; 1.exit };

            """
        try script.write(toFile: "\(out)/render.scd", atomically: true, encoding: .utf8)
        let s = try run(timeout, ["120", sclang, "\(out)/render.scd"], environment: ["QT_QPA_PLATFORM": "offscreen", "QTWEBENGINE_DISABLE_SANDBOX": "1"],
                        currentDirectory: out)
        try #require(s.status == 0, "sclang exited \(s.status): \(s.stdout.suffix(800)) \(s.stderr.suffix(400))")
        #expect(!s.stdout.contains("ERROR"), "\(s.stdout.suffix(800))")
        let wav = "\(out)/\(note)-sc.wav"
        try #require(FileManager.default.fileExists(atPath: wav), "the recipe wrote no \(note)-sc.wav: \(s.stdout.suffix(800))")

        try Engines.renderScsynth("\(dir)/\(note).osc", to: "\(out)/compiled.wav", sampleRate: rate)
        let c = try SampleComparison(engine: wav, reference: "\(out)/compiled.wav", sampleRate: rate)
        print("\(note): sclang's render of the .scd at \(rate) Hz vs scsynth's of the compiled SynthDef: \(c)")
        #expect(c.lengthDifference == 0, "\(c)")
        #expect(c.relativeRMS <= 1e-6, "\(c)")
    }
}
