import Foundation
import Testing
import TestSupport

/// Reading what the commands print and write: JSON reports, patch files, `runs --json`,
/// `analyze --json`.
enum RunOutput {
    /// A JSON object from text (a command's stdout or a file's contents).
    static func object(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(value as? [String: Any], "not a JSON object: \(text.prefix(300))", sourceLocation: sourceLocation)
    }

    /// The JSON object in a file (a patch file).
    static func file(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        try object(String(contentsOfFile: path, encoding: .utf8), sourceLocation: sourceLocation)
    }

    /// `fmevolve evolve …` that must succeed; returns the result.
    static func evolve(_ arguments: [String], currentDirectory: String? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        let r = try fmevolve(arguments: ["evolve"] + arguments, currentDirectory: currentDirectory)
        try #require(r.status == 0, "evolve \(arguments): exit \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        return r
    }

    /// The newest run of `fmevolve runs DB --json`.
    static func summary(_ db: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let r = try fmevolve("runs", db, "--json")
        try #require(r.status == 0, "\(r.stderr)", sourceLocation: sourceLocation)
        let runs = try #require(try object(r.stdout)["runs"] as? [[String: Any]], sourceLocation: sourceLocation)
        return try #require(runs.last, sourceLocation: sourceLocation)
    }

    /// Every run of `fmevolve runs DB --json`, oldest first.
    static func runs(_ db: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let r = try fmevolve("runs", db, "--json")
        try #require(r.status == 0, "\(r.stderr)", sourceLocation: sourceLocation)
        return try #require(try object(r.stdout)["runs"] as? [[String: Any]], sourceLocation: sourceLocation)
    }

    /// Every generation of the newest run (`fmevolve runs DB --generations --json`), oldest first.
    static func history(_ db: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let r = try fmevolve("runs", db, "--generations", "--json")
        try #require(r.status == 0, "\(r.stderr)", sourceLocation: sourceLocation)
        return try #require(try object(r.stdout)["generations"] as? [[String: Any]], sourceLocation: sourceLocation)
    }

    /// `fmevolve analyze FILE --json` (with `--f0` when given).
    static func analysis(_ file: String, f0: Double? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let r = try fmevolve(arguments: ["analyze", file, "--json"] + (f0.map { ["--f0", String($0)] } ?? []))
        try #require(r.status == 0, "\(r.stderr)", sourceLocation: sourceLocation)
        return try object(r.stdout)
    }
}

/// Whether two files hold the same bytes. (A failed `#expect(dataA == dataB)` makes the test
/// library diff the two byte arrays, which for files of 100 kB takes the better part of an hour.)
func sameBytes(_ a: String, _ b: String) throws -> Bool {
    try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b))
}

extension Dictionary where Key == String, Value == Any {
    func jsonInt(_ key: String) -> Int? { self[key] as? Int }
    func jsonDouble(_ key: String) -> Double? { self[key] as? Double }
    func jsonString(_ key: String) -> String? { self[key] as? String }
}
