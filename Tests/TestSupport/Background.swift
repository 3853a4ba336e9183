import Foundation

/// A program running in the background, its output going to files (no pipe can fill up).
public final class Background {
    public let process = Process()
    private let outURL: URL
    private let errURL: URL

    public init(_ executable: String, _ arguments: [String], in dir: TemporaryDirectory) throws {
        let tag = UUID().uuidString
        outURL = dir.url.appendingPathComponent("bg-\(tag).out")
        errURL = dir.url.appendingPathComponent("bg-\(tag).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }
    public func signal(_ sig: Int32) { kill(pid, sig) }

    /// Waits for the end; returns the exit status.
    @discardableResult
    public func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    public var stdout: String { (try? String(contentsOf: outURL, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }
}

/// Polls `condition` every 20 ms for at most `seconds`; returns whether it became true.
public func eventually(within seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}
