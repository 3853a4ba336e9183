import AudioIO
import Foundation
import Testing
import TestSupport

/// Sample-by-sample comparison of an engine's render with a reference render at the same rate.
struct SampleComparison: CustomStringConvertible {
    /// ‖engine − reference‖ / ‖reference‖ over the whole note (sum over samples).
    var relativeRMS: Double
    /// engine length − reference length (samples).
    var lengthDifference: Int
    var description: String { String(format: "relative RMS %.3g (length %+d samples)", relativeRMS, lengthDifference) }

    /// Aligned by sample index, both starting at sample 0. When the lengths differ the shorter one
    /// is padded with zeros, so whatever one of them plays beyond the other's end counts as error.
    init(engine: [Double], reference: [Double]) {
        let n = max(engine.count, reference.count)
        var diff = 0.0, ref = 0.0
        for i in 0..<n {
            let e = i < engine.count ? engine[i] : 0, r = i < reference.count ? reference[i] : 0
            diff += (e - r) * (e - r)
            ref += r * r
        }
        relativeRMS = (diff / max(ref, .leastNormalMagnitude)).squareRoot()
        lengthDifference = engine.count - reference.count
    }

    /// Compares two WAV files, requiring the sample rate both should have.
    init(engine: String, reference: String, sampleRate: Int) throws {
        let e = try AudioReader.read(path: engine), r = try AudioReader.read(path: reference)
        try #require(e.sampleRate == sampleRate && r.sampleRate == sampleRate,
                     "sample rates \(e.sampleRate) (\(engine)) and \(r.sampleRate) (\(reference)), expected \(sampleRate)")
        self.init(engine: e.samples, reference: r.samples)
    }
}

/// The synth engines the export tests play; each missing one fails its test with what installs it.
enum Engines {
    static func csound() throws -> String {
        try #require(which("csound"), "csound is not installed; 'make test' installs it")
    }

    static func scsynth() throws -> String {
        try #require(which("scsynth"), "scsynth is not installed; 'make test' installs supercollider-server")
    }

    static func sclang() throws -> String {
        try #require(which("sclang"), "sclang is not installed; 'make test' installs supercollider-language")
    }

    /// `csound -o out csd` (float WAV at the .csd's own `sr`).
    static func renderCsound(_ csd: String, to out: String) throws {
        let c = try run(csound(), ["-d", "-W", "-f", "-o", out, csd])
        try #require(c.status == 0, "csound failed: \(c.stderr.suffix(600))")
    }

    /// `scsynth -N score _ out rate WAV float`, one output channel, no synthdef directory.
    /// Runs an .scd file with its NRT recipe in sclang (headless) in `out` and compares the WAV it
    /// writes (`wav`, named by the recipe) with scsynth's render of the compiled score `osc`, sample by sample.
    static func sclangAgainstCompiled(scd: String, recipe: String, osc: String, wav: String, out: String,
                                      sampleRate rate: Int) throws -> SampleComparison {
        let sclang = try sclang()
        let timeout = try #require(which("timeout"), "coreutils' timeout is missing")
        let script = """
            {
                "\(scd)".load;
            \(recipe)
            }.try { |error| error.reportError; 1.exit };

            """
        try script.write(toFile: "\(out)/render.scd", atomically: true, encoding: .utf8)
        let s = try run(timeout, ["120", sclang, "\(out)/render.scd"],
                        environment: ["QT_QPA_PLATFORM": "offscreen", "QTWEBENGINE_DISABLE_SANDBOX": "1"], currentDirectory: out)
        try #require(s.status == 0, "sclang exited \(s.status): \(s.stdout.suffix(800)) \(s.stderr.suffix(400))")
        #expect(!s.stdout.contains("ERROR"), "\(s.stdout.suffix(800))")
        let path = "\(out)/\(wav)"
        try #require(FileManager.default.fileExists(atPath: path), "the recipe wrote no \(wav): \(s.stdout.suffix(800))")
        try renderScsynth(osc, to: "\(out)/compiled.wav", sampleRate: rate)
        return try SampleComparison(engine: path, reference: "\(out)/compiled.wav", sampleRate: rate)
    }

    /// Renders `engineFile` (a .csd, or an .osc score for scsynth) and fmevolve's `patch` at
    /// `sampleRate` into `out` (csound.wav or scsynth.wav, and fmevolve.wav) and compares them
    /// sample by sample.
    static func compareWithFMEvolve(_ engineFile: String, patch: String, out: String,
                                    sampleRate rate: Int) throws -> SampleComparison {
        let csound = engineFile.hasSuffix(".csd")
        let wav = "\(out)/\(csound ? "csound" : "scsynth").wav"
        if csound { try renderCsound(engineFile, to: wav) } else { try renderScsynth(engineFile, to: wav, sampleRate: rate) }
        try renderFMEvolve(patch, to: "\(out)/fmevolve.wav", sampleRate: rate)
        return try SampleComparison(engine: wav, reference: "\(out)/fmevolve.wav", sampleRate: rate)
    }

    static func renderScsynth(_ score: String, to out: String, sampleRate: Int) throws {
        let p = try run(scsynth(), ["-o", "1", "-D", "0", "-N", score, "_", out, String(sampleRate), "WAV", "float"])
        try #require(p.status == 0, "scsynth failed: \(p.stdout.suffix(600))")
    }

    /// fmevolve's own alias-free render of a patch file at `sampleRate`.
    static func renderFMEvolve(_ patch: String, to out: String, sampleRate: Int) throws {
        let r = try fmevolve("render", patch, "-o", out, "--sample-rate", String(sampleRate))
        try #require(r.status == 0, "fmevolve render failed: \(r.stderr)")
    }

    /// The `sr = N` line of a .csd.
    static func csdSampleRate(_ csd: String) throws -> Int {
        let text = try String(contentsOfFile: csd, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("sr ") },
                                "no 'sr =' line in \(csd)")
        return try #require(Int(line.split(separator: "=")[1].trimmingCharacters(in: .whitespaces)), "bad line: \(line)")
    }

    /// The rate of the headless render command in the .scd's comments (`scsynth … WAV float`).
    static func scdSampleRate(_ scd: String) throws -> Int {
        let text = try String(contentsOfFile: scd, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.contains("scsynth -o 1") && $0.hasSuffix("WAV float") },
                                "no scsynth command in \(scd)")
        let words = line.split(separator: " ")
        return try #require(Int(words[words.count - 3]), "bad line: \(line)")
    }
}
