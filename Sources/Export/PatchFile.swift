import FMSynthesis
import Foundation

/// The champion patch as a JSON document (schema documented in README.md, "Patch files").
/// Times are seconds from the start of the target, amplitudes are linear sample values.
public struct PatchFile: Codable, Equatable, Sendable {
    public static let formatName = "fmevolve-patch"
    /// 1: static indices (Horner); 2: adds the optional index envelopes and `static_err`;
    /// 3: adds the optional `pitch` (a moving pitch); 4: adds `inharmonic` (real ratios).
    public static let currentVersion = 4

    public struct Unit: Codable, Equatable, Sendable {
        /// Ratios to f0: integers, or (version 4, `inharmonic`) real numbers. Written as integers
        /// when they are whole.
        public var carrier: Double
        public var modulator1: Double
        public var modulator2: Double
        /// Radians.
        public var index1: Double
        public var index2: Double
        /// "parallel" or "cascade".
        public var topology: String
        /// Breakpoints [time s, amplitude], linear between them.
        public var envelope: [[Double]]
        /// Version 2, dynamic FM: breakpoints [time s, radians] of I1(t) and I2(t), linear between
        /// them and held outside; absent: the fixed `index1` / `index2`.
        public var index1Envelope: [[Double]]?
        public var index2Envelope: [[Double]]?

        public init(carrier: Double, modulator1: Double, modulator2: Double, index1: Double, index2: Double, topology: String,
                    envelope: [[Double]], index1Envelope: [[Double]]? = nil, index2Envelope: [[Double]]? = nil) {
            self.carrier = carrier; self.modulator1 = modulator1; self.modulator2 = modulator2
            self.index1 = index1; self.index2 = index2; self.topology = topology; self.envelope = envelope
            self.index1Envelope = index1Envelope; self.index2Envelope = index2Envelope
        }

        enum CodingKeys: String, CodingKey {
            case carrier, modulator1, modulator2, index1, index2, topology, envelope, index1Envelope, index2Envelope
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            for (key, r) in [(CodingKeys.carrier, carrier), (.modulator1, modulator1), (.modulator2, modulator2)] {
                if r == r.rounded() && abs(r) < 1e9 { try c.encode(Int(r), forKey: key) } else { try c.encode(r, forKey: key) }
            }
            try c.encode(index1, forKey: .index1); try c.encode(index2, forKey: .index2)
            try c.encode(topology, forKey: .topology); try c.encode(envelope, forKey: .envelope)
            try c.encodeIfPresent(index1Envelope, forKey: .index1Envelope)
            try c.encodeIfPresent(index2Envelope, forKey: .index2Envelope)
        }
    }

    /// Version 3: how the pitch moves about f0 (PitchCurve). Absent: f0 throughout.
    public struct Pitch: Codable, Equatable, Sendable {
        /// Breakpoints [time s, cents relative to f0], linear between them and held outside.
        public var glide: [[Double]]
        public var vibrato: Vibrato?

        /// D(t)·sin(2π(rate_hz·(t − onset) + P(t))) cents from the onset (the first breakpoint's
        /// time) on: D = `depth` [time s, cents], P = `phase` [time s, cycles], linear between
        /// breakpoints (the same times in both) and held after the last.
        public struct Vibrato: Codable, Equatable, Sendable {
            public var rateHz: Double
            public var depth: [[Double]]
            public var phase: [[Double]]
        }

        public init(_ curve: PitchCurve) {
            glide = zip(curve.glide.times, curve.glide.values).map { [$0, $1] }
            vibrato = curve.vibrato.map { v in
                Vibrato(rateHz: v.rate, depth: zip(v.depth.times, v.depth.values).map { [$0, $1] },
                        phase: zip(v.phase.times, v.phase.values).map { [$0, $1] })
            }
        }

        public var curve: PitchCurve {
            PitchCurve(glide: PatchFile.envelope(glide), vibrato: vibrato.map {
                FMSynthesis.Vibrato(rate: $0.rateHz, depth: PatchFile.envelope($0.depth), phase: PatchFile.envelope($0.phase))
            })
        }
    }

    public struct Analysis: Codable, Equatable, Sendable {
        public var window: Int
        public var hop: Int
        public var harmonics: Int
        public var frames: Int
        public var activeFrames: Int
        public var f0Source: String
    }

    public struct Run: Codable, Equatable, Sendable {
        public var seed: UInt64
        public var generation: Int
        public var evaluations: Int
        public var seconds: Double
        public var population: Int
        public var database: String?

        public init(seed: UInt64, generation: Int, evaluations: Int, seconds: Double, population: Int, database: String?) {
            self.seed = seed; self.generation = generation; self.evaluations = evaluations
            self.seconds = seconds; self.population = population; self.database = database
        }
    }

    public var format: String
    public var version: Int
    public var name: String
    /// Fundamental (Hz) the ratios multiply.
    public var f0: Double
    public var sampleRate: Int
    /// Length of the target in samples (the render's length).
    public var samples: Int
    /// Horner's relative spectral error of the fit (what the evolution minimised).
    public var err: Double
    /// The same error measured on the rendered WAV by fmevolve's own analysis.
    public var renderErr: Double?
    /// Version 2: the error of the search's static champion, Horner's result, which the refined
    /// patch beat (absent when the patch was not refined).
    public var staticErr: Double?
    public var units: [Unit]
    public var pitch: Pitch?
    /// Version 4: true when the ratios are real numbers (the inharmonic mode; absent: integers).
    public var inharmonic: Bool?
    public var target: String?
    public var analysis: Analysis?
    public var run: Run?
    public var fmevolveVersion: String

    public var duration: Double { Double(samples) / Double(sampleRate) }

    /// The synthesis part of the file.
    public func patch() -> Patch {
        Patch(f0: f0,
              units: units.map {
                  FMUnit(carrier: ratioGene($0.carrier), modulator1: ratioGene($0.modulator1), modulator2: ratioGene($0.modulator2),
                         index1: $0.index1, index2: $0.index2,
                         topology: $0.topology == "cascade" ? .cascade : .parallel)
              },
              envelopes: units.map { Self.envelope($0.envelope) },
              indexEnvelopes: units.map { u in
                  guard u.index1Envelope != nil || u.index2Envelope != nil else { return nil }
                  return IndexEnvelopes(index1: u.index1Envelope.map(Self.envelope) ?? Envelope(times: [0], values: [u.index1]),
                                        index2: u.index2Envelope.map(Self.envelope) ?? Envelope(times: [0], values: [u.index2]))
              },
              pitch: pitch?.curve, ratioGrid: ratioGrid)
    }

    /// The grid of an inharmonic patch's ratios (nil: integer ratios).
    public var ratioGrid: RatioGrid? { inharmonic == true ? .fine : nil }

    /// A ratio as the synthesis's gene: the integer, or its nearest grid value.
    func ratioGene(_ r: Double) -> Int { Int(ratioGrid?.nearest(r) ?? Int32(r.rounded())) }

    static func envelope(_ points: [[Double]]) -> Envelope {
        Envelope(times: points.map { $0[0] }, values: points.map { $0[1] })
    }

    // MARK: reading and writing

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.keyEncodingStrategy = .convertToSnakeCase
        return e
    }()

    public func encoded() throws -> Data { try Self.encoder.encode(self) }

    public func write(to path: String) throws {
        do {
            try encoded().write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ExportError.cannotWrite(path: path, reason: (error as NSError).localizedDescription)
        }
    }

    public static func read(path: String) throws -> PatchFile {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw ExportError.notFound(path) }
        if isDir.boolValue { throw ExportError.invalidPatch(path: path, reason: "is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else { throw ExportError.invalidPatch(path: path, reason: "unreadable") }
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        let file: PatchFile
        do {
            file = try d.decode(PatchFile.self, from: data)
        } catch DecodingError.keyNotFound(let key, let ctx) {
            throw ExportError.invalidPatch(path: path, reason: "missing field '\(fieldPath(ctx.codingPath + [key]))'")
        } catch DecodingError.typeMismatch(_, let ctx), DecodingError.valueNotFound(_, let ctx) {
            throw ExportError.invalidPatch(path: path, reason: "wrong type at '\(fieldPath(ctx.codingPath))'")
        } catch {
            throw ExportError.invalidPatch(path: path, reason: "not a JSON patch file")
        }
        try file.validate(path: path)
        return file
    }

    /// A field as the file spells it: `units.0.envelope`, `analysis.f0_source` (the decoder's
    /// keys are the properties' camel-case names).
    static func fieldPath(_ path: [any CodingKey]) -> String {
        path.map { key in
            if let i = key.intValue { return String(i) }
            return key.stringValue.reduce(into: "") { out, c in
                if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
            }
        }.joined(separator: ".")
    }

    /// Checks the values a renderer relies on; one message for the first problem.
    public func validate(path: String) throws {
        func bad(_ r: String) -> ExportError { .invalidPatch(path: path, reason: r) }
        guard format == Self.formatName else { throw bad("format is '\(format)', expected '\(Self.formatName)'") }
        guard version <= Self.currentVersion else { throw bad("version \(version) is newer than this fmevolve understands (\(Self.currentVersion))") }
        guard f0 > 0, f0.isFinite else { throw bad("f0 must be a positive number") }
        guard sampleRate > 0 && sampleRate <= 768_000 else { throw bad("sample_rate must be 1…768000") }
        guard samples > 0 else { throw bad("samples must be positive") }
        guard !units.isEmpty, units.count <= 8 else { throw bad("needs 1…8 units") }
        for (i, u) in units.enumerated() {
            if inharmonic == true {
                guard [u.carrier, u.modulator1, u.modulator2].allSatisfy({ $0 >= 0.001 && $0 <= 1000 }) else {
                    throw bad("unit \(i + 1): ratios must be 0.001…1000")
                }
            } else {
                guard [u.carrier, u.modulator1, u.modulator2].allSatisfy({ $0 >= 1 && $0 <= 1e6 && $0 == $0.rounded() }) else {
                    throw bad("unit \(i + 1): ratios must be positive integers (or set \"inharmonic\": true)")
                }
            }
            guard u.index1 >= 0, u.index2 >= 0, u.index1 <= 100, u.index2 <= 100 else { throw bad("unit \(i + 1): indices must be 0…100 rad") }
            guard u.topology == "parallel" || u.topology == "cascade" else { throw bad("unit \(i + 1): topology must be parallel or cascade") }
            guard !u.envelope.isEmpty else { throw bad("unit \(i + 1): empty envelope") }
            var last = -Double.infinity
            for p in u.envelope {
                guard p.count == 2, p[0].isFinite, p[1].isFinite, p[1] >= 0 else { throw bad("unit \(i + 1): breakpoints must be [time, amplitude ≥ 0]") }
                guard p[0] >= last else { throw bad("unit \(i + 1): breakpoint times must not decrease") }
                last = p[0]
            }
            // index envelopes: named as the file spells them, e.g. 'units.0.index1_envelope.2'
            for (field, points) in [("index1_envelope", u.index1Envelope), ("index2_envelope", u.index2Envelope)] {
                guard let points else { continue }
                let name = "units.\(i).\(field)"
                guard !points.isEmpty else { throw bad("'\(name)' is empty (give at least one [time s, index rad] breakpoint)") }
                var last = -Double.infinity
                for (k, p) in points.enumerated() {
                    guard p.count == 2, p[0].isFinite, p[1].isFinite else {
                        throw bad("'\(name).\(k)' must be [time s, index rad], is \(p)")
                    }
                    guard p[1] >= 0, p[1] <= 100 else { throw bad("'\(name).\(k)': index \(p[1]) rad is outside 0…100 rad") }
                    guard p[0] >= last else {
                        throw bad("'\(name).\(k)': time \(p[0]) s is before the previous breakpoint's \(last) s (times must not decrease)")
                    }
                    last = p[0]
                }
            }
        }
        if let pitch { try pitch.validate(bad) }
    }
}

extension PatchFile.Pitch {
    /// Checks a pitch object; names the first bad field as the file spells it.
    func validate(_ bad: (String) -> ExportError) throws {
        func points(_ name: String, _ p: [[Double]], range: ClosedRange<Double>, unit: String) throws {
            guard !p.isEmpty else { throw bad("'\(name)' is empty (give at least one [time s, \(unit)] breakpoint)") }
            var last = -Double.infinity
            for (k, q) in p.enumerated() {
                guard q.count == 2, q[0].isFinite, q[1].isFinite else { throw bad("'\(name).\(k)' must be [time s, \(unit)], is \(q)") }
                guard range.contains(q[1]) else { throw bad("'\(name).\(k)': \(q[1]) is outside \(range.lowerBound)…\(range.upperBound) \(unit)") }
                guard q[0] >= last else { throw bad("'\(name).\(k)': time \(q[0]) s is before the previous breakpoint's \(last) s (times must not decrease)") }
                last = q[0]
            }
        }
        try points("pitch.glide", glide, range: -2400...2400, unit: "cents")
        guard let v = vibrato else { return }
        guard v.rateHz > 0, v.rateHz <= 50 else { throw bad("'pitch.vibrato.rate_hz' must be in (0, 50] Hz, is \(v.rateHz)") }
        try points("pitch.vibrato.depth", v.depth, range: 0...1200, unit: "cents")
        guard v.depth[0][1] == 0 else { throw bad("'pitch.vibrato.depth.0': the depth at the onset must be 0 (the vibrato fades in from there)") }
        try points("pitch.vibrato.phase", v.phase, range: -1e6...1e6, unit: "cycles")
        guard v.depth.map({ $0[0] }) == v.phase.map({ $0[0] }) else {
            throw bad("'pitch.vibrato.depth' and 'pitch.vibrato.phase' must have the same breakpoint times")
        }
    }
}
