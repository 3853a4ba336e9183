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
        let dir = try EngineFixture.shared.exported(note), out = try EngineFixture.shared.scratch(note, "sclang")
        let rate = try Engines.scdSampleRate("\(dir)/\(note).scd")
        let c = try Engines.sclangAgainstCompiled(scd: "\(dir)/\(note).scd", recipe: try Self.recipe("\(dir)/\(note).scd"),
                                                  osc: "\(dir)/\(note).osc", wav: "\(note)-sc.wav", out: out, sampleRate: rate)
        print("\(note): sclang's render of the .scd at \(rate) Hz vs scsynth's of the compiled SynthDef: \(c)")
        #expect(c.lengthDifference == 0, "\(c)")
        #expect(c.relativeRMS <= 1e-6, "\(c)")
    }
}
