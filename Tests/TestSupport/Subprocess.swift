import Foundation

/// The result of running a program.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
}

/// Runs a program to completion, capturing its output (no shell).
public func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                currentDirectory: String? = nil) throws -> ProcessResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    if let env = environment { p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 } }
    if let dir = currentDirectory { p.currentDirectoryURL = URL(fileURLWithPath: dir) }
    let outPipe = Pipe(), errPipe = Pipe()
    p.standardOutput = outPipe
    p.standardError = errPipe
    try p.run()
    // read both pipes before waiting, so a chatty child cannot block on a full pipe
    let group = DispatchGroup()
    nonisolated(unsafe) var out = Data(), err = Data()
    group.enter()
    DispatchQueue.global().async { out = outPipe.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    err = errPipe.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    return ProcessResult(status: p.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                         stderr: String(decoding: err, as: UTF8.self))
}

/// Runs the built `fmevolve`.
public func fmevolve(_ arguments: String..., currentDirectory: String? = nil) throws -> ProcessResult {
    try run(Paths.executable, arguments, currentDirectory: currentDirectory)
}

/// Runs the built `fmevolve` with an argument array.
public func fmevolve(arguments: [String], currentDirectory: String? = nil) throws -> ProcessResult {
    try run(Paths.executable, arguments, currentDirectory: currentDirectory)
}

/// python3 with numpy and scipy, if this machine has them (the shared scorer needs them).
public var python3WithScipy: String? {
    for p in ["/usr/bin/python3", "/usr/local/bin/python3"] + (ProcessInfo.processInfo.environment["PATH"] ?? "")
        .split(separator: ":").map({ "\($0)/python3" }) where FileManager.default.isExecutableFile(atPath: p) {
        if let r = try? run(p, ["-c", "import numpy, scipy"]), r.status == 0 { return p }
    }
    return nil
}
