import Foundation
import Testing
import TestSupport

/// Every command prints `--help` (exit 0, a USAGE line), and its help names every option the
/// README shows for it, so that a renamed or dropped option fails here.
@Suite struct HelpTests {
    static let commands = ["evolve", "resume", "runs", "export", "analyze", "render", "batch", "bench"]

    /// A command's help: for a command group (`batch`), its own and every subcommand's.
    static func help(_ command: String) throws -> ProcessResult {
        var r = try fmevolve(command, "--help")
        if command == "batch" {
            for sub in ["match", "plan", "run", "status"] { r.stdout += try fmevolve(command, sub, "--help").stdout }
        }
        return r
    }

    /// The options README.md shows for each command: in its section (`### \`fmevolve CMD …`),
    /// every `-x`/`--xyz` of an example line (`fmevolve CMD …`) and every one in backquotes (the
    /// option tables and the prose).
    static func readmeOptions() throws -> [String: Set<String>] {
        let readme = try String(contentsOf: Paths.root.appendingPathComponent("README.md"), encoding: .utf8)
        var options = [String: Set<String>](), section: String?
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("### `fmevolve ") {
                section = String(line.dropFirst("### `fmevolve ".count).prefix { $0.isLetter })
                options[section!] = []
                continue
            }
            if line.hasPrefix("## ") || line.hasPrefix("### ") { section = nil }
            guard let s = section else { continue }
            if line.hasPrefix("fmevolve ") {
                options[s]!.formUnion(tokens(line).filter(isOption))
            } else {
                for part in line.split(separator: "`", omittingEmptySubsequences: false).enumerated() where part.offset % 2 == 1 {
                    if let first = tokens(String(part.element)).first, isOption(first) { options[s]!.insert(first) }
                }
            }
        }
        return options
    }

    /// Words of a line: runs of letters, digits and '-' (so `--out-dir <dir>` gives "--out-dir").
    static func tokens(_ text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber || $0 == "-") }.map(String.init)
    }

    static func isOption(_ token: String) -> Bool {
        let body = token.drop { $0 == "-" }
        return token.hasPrefix("-") && token.count - body.count <= 2 && body.first?.isLetter == true
    }

    @Test func readmeDocumentsEveryCommand() throws {
        let options = try Self.readmeOptions()
        #expect(Set(options.keys) == Set(Self.commands))
        // the parser finds what the tables show (guards the parser itself)
        #expect(options["evolve"]!.isSuperset(of: ["--carriers", "--topology", "--time-limit", "--target-error", "--out-dir", "--json"]))
        #expect(options["render"]!.isSuperset(of: ["-o", "--f0", "--pcm16"]))
        #expect(options.values.allSatisfy { !$0.isEmpty })
    }

    @Test(arguments: commands)
    func commandHelpNamesTheReadmeOptions(_ command: String) throws {
        let r = try Self.help(command)
        #expect(r.status == 0, "exit \(r.status): \(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("USAGE: fmevolve \(command)") }, "\(r.stdout)")
        let words = Set(Self.tokens(r.stdout))
        let documented = try #require(try Self.readmeOptions()[command])
        let missing = documented.subtracting(words)
        #expect(missing.isEmpty, "\(command) --help lacks \(missing.sorted()):\n\(r.stdout)")
    }

    /// The values the README lists appear in the help too: topologies and export formats.
    @Test func helpListsTheValues() throws {
        let evolve = Set(Self.tokens(try fmevolve("evolve", "--help").stdout))
        #expect(evolve.isSuperset(of: ["parallel", "cascade", "any"]))
        let export = Set(Self.tokens(try fmevolve("export", "--help").stdout))
        let readme = try String(contentsOf: Paths.root.appendingPathComponent("README.md"), encoding: .utf8)
        for format in ["json", "wav", "csd", "scd", "pset", "syx", "svg"] {
            #expect(readme.contains("| `\(format)` |"), "README's export table lacks \(format)")
            #expect(export.contains(format), "export --help lacks the format \(format)")
        }
    }

    @Test func rootHelpListsEveryCommand() throws {
        for args in [["--help"], ["-h"], ["help"]] {
            let r = try fmevolve(arguments: args)
            #expect(r.status == 0, "\(args): exit \(r.status)")
            #expect(r.stdout.split(separator: "\n").contains { $0.hasPrefix("USAGE: fmevolve") }, "\(r.stdout)")
            // SUBCOMMANDS: one line per command, its name first
            let listed = Set(r.stdout.split(separator: "\n").compactMap { $0.hasPrefix("  ") ? Self.tokens(String($0)).first : nil })
            #expect(listed.isSuperset(of: Self.commands), "\(args): \(r.stdout)")
        }
    }
}
