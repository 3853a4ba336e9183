import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport

/// A small finished run shared by the export tests: (checkpoint, folder). Its refinement stage
/// screens 2 structures and refines 1 (a dynamic patch at half the default stage's cost).
func exportFixture(_ dir: TemporaryDirectory, target: String = "trumpet-A4.wav", generations: Int = 120) throws -> String {
    let db = dir.path("run.sqlite")
    let r = try fmevolve("evolve", Paths.target(target), "--generations", String(generations), "--population", "60",
                         "--db", db, "--out-dir", dir.path("evolved"), "--quiet", "--refine-candidates", "2", "--refine-finalists", "1")
    try #require(r.status == 0, "\(r.stderr)")
    return db
}

@Suite struct ExportFormatTests {
    @Test func listFormatsDescribesEveryFormat() throws {
        let r = try fmevolve("export", "--list-formats")
        #expect(r.status == 0)
        for f in ["json", "wav", "csd", "scd", "pset", "syx", "svg"] {
            #expect(r.stdout.contains("\n\(f) ") || r.stdout.hasPrefix("\(f) "), "missing \(f)")
        }
    }

    /// Acceptance: csound renders the .csd as fmevolve renders the patch at the .csd's rate, sample
    /// by sample (relative RMS ≤ 1e-4: see EngineRenderTests.csoundPlaysThePatchSampleBySample),
    /// and its fmscore err is within 0.002 of fmevolve's own WAV.
    @Test func csoundRendersTheCsd() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try exportFixture(dir)
        let r = try fmevolve("export", db, "--format", "csd", "--format", "json", "--format", "wav", "--out", dir.path("x"))
        try #require(r.status == 0, "\(r.stderr)")
        let rate = try Engines.csdSampleRate(dir.path("x/trumpet-A4.csd"))
        let out = dir.path("x/csound.wav")
        try Engines.renderCsound(dir.path("x/trumpet-A4.csd"), to: out)
        try Engines.renderFMEvolve(dir.path("x/trumpet-A4.champion.json"), to: dir.path("x/fmevolve.wav"), sampleRate: rate)
        let c = try SampleComparison(engine: out, reference: dir.path("x/fmevolve.wav"), sampleRate: rate)
        #expect(c.lengthDifference == 0, "csound at \(rate) Hz: \(c)")
        #expect(c.relativeRMS <= 1e-4, "csound at \(rate) Hz: \(c)")
        let target = Paths.target("trumpet-A4.wav")
        let ours = try fmscore(target: target, candidate: dir.path("x/trumpet-A4.champion.wav"))
        let theirs = try fmscore(target: target, candidate: out)
        #expect(abs(ours - theirs) <= 0.002, "fmevolve \(ours), csound \(theirs)")
    }

    /// Acceptance: the SVG is well-formed XML and holds the three plots.
    @Test func svgHasThreePlots() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try exportFixture(dir)
        let r = try fmevolve("export", db, "--format", "svg", "--out", dir.path("x"))
        try #require(r.status == 0, "\(r.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: dir.path("x/trumpet-A4.svg")))
        let parser = XMLParser(data: data)
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        let text = String(decoding: data, as: UTF8.self)
        for title in ["Harmonic amplitudes over time", "Spectrum at the loudest frame", "Convergence (best and mean err per generation)"] {
            #expect(text.contains(title))
        }
        #expect(text.components(separatedBy: "<polyline").count - 1 >= 24 + 2)    // 12 harmonics × 2 + best + mean
        #expect(text.contains("time (s)") && text.contains("harmonic number") && text.contains("generation"))
    }

    /// Acceptance: the FM7 preset parses as norns reads it — `-- name`, then one `"id": value`
    /// per line — and every value is inside its param's range.
    @Test func fm7PresetParsesWithinRanges() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try exportFixture(dir)
        let r = try fmevolve("export", db, "--format", "pset", "--out", dir.path("x"))
        try #require(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOfFile: dir.path("x/fm7-01.pset"), encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("-- "))
        let ranges: [(String, ClosedRange<Double>)] = [
            (#"^hz[1-6]$"#, 1...32), (#"^amp[1-6]$"#, 0...1), (#"^phase[1-6]$"#, 0...(2 * .pi)),
            (#"^hz[1-6]_to_hz[1-6]$"#, 0...(2 * .pi)), (#"^carrier[1-6]$"#, 0...1), (#"^opAmpA[1-6]$"#, 0.01...10),
            (#"^opAmpD[1-6]$"#, 0...2), (#"^opAmpS[1-6]$"#, 0...1), (#"^opAmpR[1-6]$"#, 0.01...10),
        ]
        var ids = Set<String>()
        for line in lines.dropFirst() {
            // paramset.lua: ("..."):%s*(.*)
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            try #require(parts.count == 2 && parts[0].hasPrefix("\"") && parts[0].hasSuffix("\""), "bad line \(line)")
            let id = String(parts[0].dropFirst().dropLast())
            let value = try #require(Double(parts[1]), "not a number: \(line)")
            let range = try #require(ranges.first { id.range(of: $0.0, options: .regularExpression) != nil }?.1, "unknown id \(id)")
            #expect(range.contains(value), "\(id) = \(value) outside \(range)")
            #expect(ids.insert(id).inserted, "\(id) twice")
        }
        #expect(ids.contains("carrier1") && ids.contains("hz1") && ids.contains("hz2_to_hz1"))
    }

    /// A patch file exports like its checkpoint: the same Csound file, and plots of the same
    /// match (the target is re-analysed from where the patch says it is) without the convergence
    /// plot, which only a checkpoint has — the refined units' envelope and index plots take its
    /// place; with the recording gone, the formats that need it say so.
    @Test func exportFromAPatchFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let target = dir.path("trumpet-A4.wav")
        try FileManager.default.copyItem(atPath: Paths.target("trumpet-A4.wav"), toPath: target)
        let db = dir.path("run.sqlite")
        let e = try fmevolve("evolve", target, "--generations", "40", "--population", "30", "--db", db,
                             "--out-dir", dir.path("evolved"), "--quiet")
        try #require(e.status == 0, "\(e.stderr)")
        let patch = dir.path("evolved/trumpet-A4.champion.json")
        let fromPatch = try fmevolve("export", patch, "--format", "csd", "--format", "svg", "--out", dir.path("p"))
        #expect(fromPatch.status == 0, "\(fromPatch.stderr)")
        let fromCheckpoint = try fmevolve("export", db, "--format", "csd", "--format", "svg", "--out", dir.path("c"))
        #expect(fromCheckpoint.status == 0, "\(fromCheckpoint.stderr)")
        let csd = try String(contentsOfFile: dir.path("p/trumpet-A4.csd"), encoding: .utf8)
        #expect(csd == (try String(contentsOfFile: dir.path("c/trumpet-A4.csd"), encoding: .utf8)))
        let svgP = try String(contentsOfFile: dir.path("p/trumpet-A4.svg"), encoding: .utf8)
        let svgC = try String(contentsOfFile: dir.path("c/trumpet-A4.svg"), encoding: .utf8)
        // the two match plots: everything up to the spectrum plot's legend ("match"), the last element before the third plot
        // the two match plots: everything up to the spectrum plot's legend ("match"), the last element before the
        // third plot, but for the picture's height (<svg> and its background), which the third plot's place sets
        let size = #/<svg [^>]*height="([0-9.]+)"[^>]*>/#, background = #/<rect x="0" y="0" width="[0-9.]+" height="[0-9.]+" fill="white"/>/#
        let plots = { (svg: String) in svg.components(separatedBy: ">match</text>").first!.replacing(size, with: "").replacing(background, with: "") }
        #expect(plots(svgP) == plots(svgC))
        #expect(svgP.contains("Convergence: not available") && !svgC.contains("Convergence: not available"))
        // the run's champion is dynamic: each unit's plots, in the convergence plot's place (300 px higher) in the patch's
        let titles = { (svg: String) in svg.matches(of: #/>(Unit \d+ \([^)]*\): modulation indices)</#).map { String($0.output.1) } }
        let height = { (svg: String) in svg.firstMatch(of: size).flatMap { Double($0.output.1) } }
        #expect(!titles(svgC).isEmpty && titles(svgP) == titles(svgC))
        #expect(try #require(height(svgP)) + 300 == (try #require(height(svgC))))
        try FileManager.default.removeItem(atPath: target)
        let noTarget = try fmevolve("export", patch, "--format", "svg", "--out", dir.path("q"))
        #expect(noTarget.status == 2 && noTarget.stderrLines.count == 1, "\(noTarget.stderr)")
        #expect(noTarget.stderr.contains("svg"), "\(noTarget.stderr)")
    }
}

@Suite struct PassersbyTests {
    /// A parallel unit on the fundamental with modulators at 1 and 3 fits Passersby:
    /// β1 = 22·low² and β2 = 12·high² give low = √(I1/22), high = √(I2/12).
    @Test func fittingUnitBecomesAPassersbyPreset() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let patch = """
        {"format": "fmevolve-patch", "version": 1, "name": "test", "f0": 220, "sample_rate": 44100, "samples": 44100,
         "err": 0.1, "fmevolve_version": "test",
         "units": [{"carrier": 1, "modulator1": 1, "modulator2": 3, "index1": 5.5, "index2": 3, "topology": "parallel",
                    "envelope": [[0, 0], [0.1, 0.5], [0.9, 0.4], [1, 0]]}]}
        """
        try patch.write(toFile: dir.path("p.json"), atomically: true, encoding: .utf8)
        let r = try fmevolve("export", dir.path("p.json"), "--format", "pset", "--out", dir.path("x"))
        try #require(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: dir.path("x/passersby-01.pset"), encoding: .utf8)
        let values = Dictionary(uniqueKeysWithValues: text.split(separator: "\n").dropFirst().map { line -> (String, Double) in
            let parts = line.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            return (String(parts[0].dropFirst().dropLast()), Double(parts[1])!)
        })
        #expect(text.hasPrefix("-- test"))
        #expect(values["fm_low_ratio"] == 1 && values["fm_high_ratio"] == 3)
        #expect(abs(values["fm_low_amount"]! - (5.5 / 22).squareRoot()) < 1e-5)
        #expect(abs(values["fm_high_amount"]! - (3.0 / 12).squareRoot()) < 1e-5)
        #expect(values["wave_shape"] == 0 && values["wave_folds"] == 0)
        // the FM7 files beside it are intact (the compiled SynthDef still starts with its magic)
        let def = try Data(contentsOf: URL(fileURLWithPath: dir.path("x/fm7-01.scsyndef")))
        #expect(String(decoding: def.prefix(4), as: UTF8.self) == "SCgf")
        // a cascade unit does not fit: no Passersby preset
        try patch.replacingOccurrences(of: "parallel", with: "cascade").write(toFile: dir.path("c.json"), atomically: true, encoding: .utf8)
        #expect(try fmevolve("export", dir.path("c.json"), "--format", "pset", "--out", dir.path("y")).status == 0)
        #expect(!FileManager.default.fileExists(atPath: dir.path("y/passersby-01.pset")))
        #expect(FileManager.default.fileExists(atPath: dir.path("y/fm7-01.pset")))
    }
}
