import ArgumentParser
import Foundation

/// The `fmevolve` command.
public struct FMEvolve: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "fmevolve",
        abstract: "Match a recorded note with a double-modulator FM synthesizer patch (Horner 1996).",
        version: version,
        subcommands: [Evolve.self, Resume.self, Runs.self, ExportCommand.self, Analyze.self, Render.self, Batch.self, Bench.self]
    )

    public init() {}

    /// Parses the arguments and runs the command. Every failure is one line on stderr:
    /// `fmevolve: error: …`, exit 2 for bad input, 64 for bad usage.
    public static func runMain(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Foundation.exit(0)
        } catch let error as CLIError {
            fail(error.description, code: error.exitCode)
        } catch where isInputError(error) {
            fail(String(describing: error), code: 2)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }          // --help, --version
            let message = FMEvolve.message(for: error)
            let first = message.split(separator: "\n").first.map(String.init) ?? message
            fail(first + helpHint(arguments), code: code.rawValue)
        }
    }

    /// An error's message as `runMain` prints it, on one line (a batch goes on after it).
    static func oneLine(_ error: Error) -> String {
        let message = (error as? CLIError)?.description
            ?? (isInputError(error) ? String(describing: error) : FMEvolve.message(for: error))
        return message.split(separator: "\n").first.map(String.init) ?? message
    }

    static func fail(_ message: String, code: Int32) -> Never {
        stderr("error: " + message)
        Foundation.exit(code)
    }

    /// One line on stderr, prefixed with "fmevolve: ".
    static func stderr(_ line: String) {
        FileHandle.standardError.write(Data("fmevolve: \(line)\n".utf8))
    }

    private static func helpHint(_ arguments: [String]?) -> String {
        let args = arguments ?? Array(CommandLine.arguments.dropFirst())
        if let sub = args.first, configuration.subcommands.contains(where: { $0._commandName == sub }) {
            return " (see 'fmevolve \(sub) --help')"
        }
        return " (see 'fmevolve --help')"
    }
}

/// Errors of the CLI itself, with their exit codes.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32 = 2
}
