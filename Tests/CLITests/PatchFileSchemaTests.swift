import Foundation
import Testing
import TestSupport

/// The patch file `evolve` writes follows README's schema (fmevolve-patch, version 3) exactly — a
/// dynamic champion (the default) with static_err and each unit's index envelopes, and the oboe's
/// pitch curve (glide and vibrato); the static one has no index envelopes (StaticIndicesTests) —
/// and `render` names a missing or mistyped field in one line.
@Suite struct PatchFileSchemaTests {
    static let oboe = Paths.target("oboe-C5.wav")

    enum Kind { case int, number, string, units, object, envelope }

    /// README's schema: every key at every level and its type.
    static let top: [String: Kind] = [
        "format": .string, "version": .int, "name": .string, "f0": .number, "sample_rate": .int, "samples": .int,
        "err": .number, "render_err": .number, "units": .units, "target": .string, "analysis": .object, "run": .object,
        "fmevolve_version": .string, "static_err": .number, "pitch": .object,
    ]
    static let pitch: [String: Kind] = ["glide": .envelope, "vibrato": .object]
    static let vibrato: [String: Kind] = ["rate_hz": .number, "depth": .envelope, "phase": .envelope]
    static let unit: [String: Kind] = [
        "carrier": .int, "modulator1": .int, "modulator2": .int, "index1": .number, "index2": .number,
        "topology": .string, "envelope": .envelope, "index1_envelope": .envelope, "index2_envelope": .envelope,
    ]
    static let analysis: [String: Kind] = [
        "window": .int, "hop": .int, "harmonics": .int, "frames": .int, "active_frames": .int, "f0_source": .string,
    ]
    static let run: [String: Kind] = [
        "seed": .int, "generation": .int, "evaluations": .int, "seconds": .number, "population": .int, "database": .string,
    ]

    static func hasType(_ value: Any?, _ kind: Kind) -> Bool {
        switch kind {
        case .int: return value is Int
        case .number: return (value as? Double)?.isFinite == true
        case .string: return value is String
        case .units: return value is [[String: Any]]
        case .object: return value is [String: Any]
        case .envelope: return (value as? [[Double]])?.allSatisfy { $0.count == 2 } == true
        }
    }

    /// Checks `object`'s keys and types against `schema`; `level` names it in failures.
    static func conforms(_ object: [String: Any], _ schema: [String: Kind], _ level: String) {
        #expect(Set(object.keys) == Set(schema.keys), "\(level): keys \(object.keys.sorted())")
        for (key, kind) in schema { #expect(hasType(object[key], kind), "\(level).\(key): \(String(describing: object[key]))") }
    }

    /// A finished 2-carrier run; returns (patch object, patch path, db).
    static func written(_ dir: TemporaryDirectory) throws -> ([String: Any], String, String) {
        let db = dir.path("s.sqlite")
        _ = try RunOutput.evolve([oboe, "--carriers", "2", "--generations", "3", "--population", "16", "--seed", "4",
                                  "--db", db, "--quiet"])
        let path = dir.path("oboe-C5.champion.json")
        return (try RunOutput.file(path), path, db)
    }

    @Test func schemaOfTheWrittenFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (patch, _, db) = try Self.written(dir)
        Self.conforms(patch, Self.top, "patch")
        let units = try #require(patch["units"] as? [[String: Any]])
        for (i, u) in units.enumerated() { Self.conforms(u, Self.unit, "units.\(i)") }
        let analysis = try #require(patch["analysis"] as? [String: Any]), run = try #require(patch["run"] as? [String: Any])
        Self.conforms(analysis, Self.analysis, "analysis")
        Self.conforms(run, Self.run, "run")
        let pitch = try #require(patch["pitch"] as? [String: Any])
        Self.conforms(pitch, Self.pitch, "pitch")
        Self.conforms(try #require(pitch["vibrato"] as? [String: Any]), Self.vibrato, "pitch.vibrato")

        // values: what fmevolve analyze says about the target, the run's settings and the checkpoint
        let analyzed = try RunOutput.analysis(Self.oboe)
        #expect(patch.jsonString("format") == "fmevolve-patch" && patch.jsonInt("version") == 3)   // 2 since dynamic FM (a8370bc), 3 since pitch curves
        #expect(patch.jsonString("name") == "oboe-C5" && patch.jsonString("target") == Self.oboe)
        #expect(patch.jsonDouble("f0") == analyzed.jsonDouble("f0"))
        #expect(patch.jsonInt("sample_rate") == analyzed.jsonInt("sample_rate") && patch.jsonInt("samples") == analyzed.jsonInt("samples"))
        #expect(patch.jsonString("fmevolve_version") == (try fmevolve("--version")).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(try #require(patch.jsonDouble("err")) >= 0 && (try #require(patch.jsonDouble("render_err"))) >= 0)
        #expect(try #require(patch.jsonDouble("static_err")) >= 0)
        for key in ["window", "hop", "harmonics", "frames", "active_frames"] {
            #expect(analysis.jsonInt(key) == analyzed.jsonInt(key), "analysis.\(key)")
        }
        #expect(analysis.jsonString("f0_source") == "estimated" && analyzed.jsonString("f0_source") == "estimated")
        let summary = try RunOutput.summary(db)
        #expect(run.jsonInt("seed") == 4 && run.jsonInt("generation") == 3 && run.jsonInt("population") == 16)
        #expect(run.jsonInt("evaluations") == summary.jsonInt("evaluations"))
        #expect(run.jsonString("database") == db)
        #expect(try #require(run.jsonDouble("seconds")) >= 0)

        // units: --carriers of them, ratios ≥ 1, indices in 0…8 rad (the default --index-max),
        // envelope breakpoints at the frame centres t·hop/sample_rate, t = 0 ..< frames, amplitudes ≥ 0
        #expect(units.count == 2)
        let frames = try #require(analyzed.jsonInt("frames")), hop = try #require(analyzed.jsonInt("hop"))
        let sr = Double(try #require(analyzed.jsonInt("sample_rate")))
        for (i, u) in units.enumerated() {
            #expect(["carrier", "modulator1", "modulator2"].allSatisfy { (u.jsonInt($0) ?? 0) >= 1 }, "unit \(i + 1)")
            #expect(["index1", "index2"].allSatisfy { (0...8).contains(u.jsonDouble($0) ?? -1) }, "unit \(i + 1)")
            #expect(["parallel", "cascade"].contains(u.jsonString("topology") ?? ""))
            let envelope = try #require(u["envelope"] as? [[Double]])
            #expect(envelope.count == frames, "unit \(i + 1): \(envelope.count) breakpoints, \(frames) frames")
            for (t, point) in envelope.enumerated() {
                #expect(abs(point[0] - Double(t * hop) / sr) <= 1e-12, "unit \(i + 1), breakpoint \(t): \(point[0]) s")   // s
                #expect(point[1] >= 0 && point[1].isFinite, "unit \(i + 1), breakpoint \(t): amplitude \(point[1])")
            }
            // index envelopes: breakpoints at frame centres, rising, from the first to the last
            // active frame (the same span for every curve), indices in 0…8 rad
            for key in ["index1_envelope", "index2_envelope"] {
                let curve = try #require(u[key] as? [[Double]])
                try #require(curve.count >= 2, "unit \(i + 1).\(key): \(curve.count) breakpoints")
                for point in curve {
                    let frame = point[0] * sr / Double(hop)
                    #expect(abs(frame - frame.rounded()) <= 1e-9 && (0..<frames).contains(Int(frame.rounded())),
                            "unit \(i + 1).\(key): \(point[0]) s is not a frame centre")
                    #expect((0...8).contains(point[1]), "unit \(i + 1).\(key): index \(point[1])")
                }
                #expect(zip(curve, curve.dropFirst()).allSatisfy { $0[0] < $1[0] }, "unit \(i + 1).\(key): times not rising")
                let span = try #require(units.first?["index1_envelope"] as? [[Double]])
                #expect(curve.first?[0] == span.first?[0] && curve.last?[0] == span.last?[0], "unit \(i + 1).\(key): another span")
            }
        }
    }

    /// Every field `render` needs, taken out or given a value of the wrong JSON type: exit 2 and
    /// one line naming the field as the file spells it. Optional fields (render_err, target,
    /// analysis, run, run.database, static_err, the index envelopes) may be missing, but not
    /// mistyped.
    @Test func renderNamesAMissingOrMistypedField() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (patch, _, _) = try Self.written(dir)
        let optional: Set<String> = ["pitch", "render_err", "target", "analysis", "run", "run.database", "static_err",
                                     "units.0.index1_envelope", "units.0.index2_envelope"]
        // every field as a path of keys (array index 0 for the first unit)
        var fields = Self.top.keys.map { [$0] }
        fields += Self.unit.keys.map { ["units", "0", $0] }
        fields += Self.analysis.keys.map { ["analysis", $0] } + Self.run.keys.map { ["run", $0] }

        func edited(_ path: [String], _ value: Any?) -> Any {
            func go(_ node: Any, _ rest: ArraySlice<String>) -> Any {
                guard let key = rest.first else { return value as Any }
                if var array = node as? [Any], let i = Int(key) { array[i] = go(array[i], rest.dropFirst()); return array }
                var object = node as! [String: Any]
                object[key] = rest.count == 1 ? value : go(object[key]!, rest.dropFirst())
                return object
            }
            return go(patch, path[...])
        }
        func render(_ object: Any) throws -> ProcessResult {
            let file = dir.path("edited.json")
            try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: file))
            return try fmevolve("render", file, "-o", dir.path("edited.wav"))
        }
        for path in fields {
            let name = path.joined(separator: ".")
            if !optional.contains(name) {
                let r = try render(edited(path, nil))
                #expect(r.status == 2 && r.stderrLines.count == 1, "without \(name): exit \(r.status), \(r.stderr)")
                #expect(r.stderr.hasPrefix("fmevolve: error: ") && r.stderr.contains("'\(name)'"), "without \(name): \(r.stderr)")
            }
            // a string where a number, array or object belongs; a number where a string belongs
            let original = path.reduce(patch as Any) { node, key in (node as? [Any]).map { $0[Int(key)!] } ?? (node as! [String: Any])[key]! }
            let wrong: Any = original is String ? 7 : "7"
            let r = try render(edited(path, wrong))
            #expect(r.status == 2 && r.stderrLines.count == 1, "mistyped \(name): exit \(r.status), \(r.stderr)")
            #expect(r.stderr.hasPrefix("fmevolve: error: ") && r.stderr.contains("'\(name)'"), "mistyped \(name): \(r.stderr)")
        }
        // the file itself renders (so the failures above are the edits')
        #expect(try render(patch).status == 0)
    }
}
