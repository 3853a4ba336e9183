import Foundation

/// The independent scorer ../shared/tools/fmscore.py: err of a candidate WAV against a target.
public func fmscore(target: String, candidate: String) throws -> Double {
    guard let err = try fmscoreReport(target: target, candidate: candidate)["err"] as? Double else {
        throw ToolFailed(tool: "fmscore.py", output: "no err in its report")
    }
    return err
}

/// fmscore.py's whole JSON report (err, err_bands, harmonicity, pitch_dev_cents, pitch_err_cents, …).
public func fmscoreReport(target: String, candidate: String) throws -> [String: Any] {
    guard let python = python3WithScipy else { throw ToolMissing(tool: "python3 with numpy and scipy (make deps installs them)") }
    let r = try run(python, [Paths.shared.appendingPathComponent("tools/fmscore.py").path, target, candidate, "--json"])
    guard r.status == 0, let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] else {
        throw ToolFailed(tool: "fmscore.py", output: r.stderr)
    }
    return obj
}

/// The full path of a program on PATH, if any.
public func which(_ program: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let p = "\(dir)/\(program)"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}

public struct ToolMissing: Error, CustomStringConvertible {
    public let tool: String
    public init(tool: String) { self.tool = tool }
    public var description: String { "\(tool) is not installed; 'make test' installs it" }
}

public struct ToolFailed: Error, CustomStringConvertible {
    public let tool: String
    public let output: String
    public init(tool: String, output: String) { self.tool = tool; self.output = output }
    public var description: String { "\(tool) failed: \(output.suffix(600))" }
}
