import Foundation
import Testing
import TestSupport

/// `fmevolve bench`, briefly: the keys and lines the README lists, with positive finite values
/// that agree with each other. No speed is asserted.
@Suite struct BenchTests {
    static let keys: Set<String> = [
        "target", "carriers", "harmonics", "frames", "threads", "evals_per_s_1_thread", "evals_per_s_all_cores",
        "speedup", "ns_per_eval_1_thread", "ns_per_eval_all_cores", "analysis_s", "checkpoint_256_s",
        "seconds_per_setting", "rounds", "cold_start_interval",
    ]

    /// Runs bench; returns its output and its pid.
    static func bench(_ args: [String]) throws -> (result: (status: Int32, stdout: String, stderr: String), pid: Int32) {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let p = try Background(Paths.executable, ["bench"] + args, in: dir)
        let status = p.wait()
        return ((status, p.stdout, p.stderr), p.pid)
    }

    @Test(arguments: [[String](), ["--threads", "1"]])
    func jsonHasEveryKey(extra: [String]) throws {
        let (r, pid) = try Self.bench(["--seconds", "0.5", "--json", "--target", Paths.target("trumpet-A4.wav")] + extra)
        try #require(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(Set(obj.keys) == Self.keys)
        for key in ["evals_per_s_1_thread", "evals_per_s_all_cores", "speedup", "ns_per_eval_1_thread",
                    "ns_per_eval_all_cores", "analysis_s", "checkpoint_256_s"] {
            let v = obj[key] as? Double
            #expect(v.map { $0 > 0 && $0.isFinite } == true, "\(key) = \(String(describing: v))")
        }
        for (ns, rate) in [("ns_per_eval_1_thread", "evals_per_s_1_thread"), ("ns_per_eval_all_cores", "evals_per_s_all_cores")] {
            let n = try #require(obj[ns] as? Double), e = try #require(obj[rate] as? Double)
            #expect(abs(n * e - 1e9) <= 1e-9 * 1e9, "\(ns) · \(rate) = \(n * e)")   // 1e-9 relative
        }
        // the settings it ran with, and the trumpet's analysis (README: 45 harmonics, 286 active frames)
        #expect(obj["target"] as? String == Paths.target("trumpet-A4.wav"))
        #expect(obj["carriers"] as? Int == 3)
        #expect(obj["harmonics"] as? Int == 45 && obj["frames"] as? Int == 286)
        #expect(obj["seconds_per_setting"] as? Double == 0.5 && obj["rounds"] as? Int == 5)
        #expect(obj["threads"] as? Int == (extra.isEmpty ? ProcessInfo.processInfo.activeProcessorCount : 1))
        // its scratch checkpoint is gone
        #expect(!FileManager.default.fileExists(atPath: FileManager.default.temporaryDirectory
            .appendingPathComponent("fmevolve-bench-\(pid)").path))
    }

    @Test func textLines() throws {
        let r = try fmevolve("bench", "--seconds", "0.25", "--carriers", "2", currentDirectory: Paths.root.path)
        try #require(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        #expect(lines.count == 5)
        #expect(lines.first == "target        targets/trumpet-A4.wav: 45 harmonics, 286 frames, 2 carriers, random genomes")
        /// The first number after `prefix` on its line.
        func number(_ prefix: String) -> Double? {
            guard let line = lines.first(where: { $0.hasPrefix(prefix) }) else { return nil }
            return line.dropFirst(prefix.count).split(separator: " ").first.flatMap { Double($0) }
        }
        let one = number("1 thread "), all = number("\(cores) threads ")
        #expect(one.map { $0 > 0 } == true && all.map { $0 > 0 } == true, "\(r.stdout)")
        #expect(number("analysis ").map { $0 > 0 } == true)
        #expect(number("checkpoint ").map { $0 > 0 } == true)
        #expect(lines.contains { $0.contains("ms per generation of 256 genomes (median of 50)") })
        #expect(lines.contains { $0.contains("evaluations/s") && $0.contains("speed-up") })
    }
}
