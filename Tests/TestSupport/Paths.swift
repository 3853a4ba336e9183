import Foundation

/// Where things are, for tests.
public enum Paths {
    /// The repository root (this file is Tests/TestSupport/Paths.swift).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let targets = root.appendingPathComponent("targets")

    /// ../shared from the repository root (CI has it too).
    public static let shared = root.deletingLastPathComponent().appendingPathComponent("shared")

    public static func target(_ name: String) -> String { targets.appendingPathComponent(name).path }

    /// The eight bundled recordings and their nominal f0 (targets/manifest.json).
    public static func manifest() throws -> [(file: String, f0: Double)] {
        let data = try Data(contentsOf: targets.appendingPathComponent("manifest.json"))
        let obj = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let notes = obj["notes"] as! [[String: Any]]
        return notes.map { (target($0["file"] as! String), $0["f0_nominal_hz"] as! Double) }
    }

    /// The `fmevolve` executable built next to the test bundle.
    public static var executable: String {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let p = candidate.appendingPathComponent("fmevolve").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        for config in ["release", "debug"] {
            let p = root.appendingPathComponent(".build/\(config)/fmevolve").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return "fmevolve"
    }
}

/// A fresh temporary directory, removed by `remove()`.
public struct TemporaryDirectory {
    public let url: URL
    public init(_ label: String = "fmevolve-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    public func remove() { try? FileManager.default.removeItem(at: url) }
}
