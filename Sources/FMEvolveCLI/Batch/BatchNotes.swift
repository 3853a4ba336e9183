import Foundation

/// One note of a batch: the recording and the name its files take in the output folder.
struct BatchNote: Equatable {
    /// Where its files go, relative to the output folder and without extension: the recording's
    /// path relative to the folder given (subfolders kept), or its file name when given by itself.
    var name: String
    /// The recording's absolute path.
    var path: String
}

/// Finds a batch's notes: every audio file under the folders given (recursively, sorted by path)
/// and the files given themselves.
enum BatchNotes {
    /// Extensions of the formats libsndfile reads that sample libraries use (case-insensitive).
    static let audioExtensions: Set<String> = ["wav", "wave", "flac", "ogg", "oga", "opus", "aif", "aiff", "aifc",
                                               "caf", "w64", "rf64", "mp3", "au", "snd"]

    static func collect(_ inputs: [String]) throws -> [BatchNote] {
        let fm = FileManager.default
        var notes: [BatchNote] = []
        for input in inputs {
            let absolute = URL(fileURLWithPath: input).standardizedFileURL.path
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: absolute, isDirectory: &isDir) else {
                throw CLIError(description: "\(input): no such file or folder")
            }
            if !isDir.boolValue {
                notes.append(BatchNote(name: stem(URL(fileURLWithPath: absolute).lastPathComponent), path: absolute))
                continue
            }
            let found = (fm.enumerator(atPath: absolute)?.compactMap { $0 as? String } ?? [])
                .filter { audioExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
                .filter { !$0.split(separator: "/").contains { $0.hasPrefix(".") } }
                .sorted()
            if found.isEmpty { throw CLIError(description: "\(input): no audio files in this folder") }
            notes += found.map { BatchNote(name: stem($0), path: (absolute as NSString).appendingPathComponent($0)) }
        }
        try checkNamesDiffer(notes)
        return notes
    }

    /// Two notes whose files would share a name (C4.wav and C4.flac side by side) are refused.
    static func checkNamesDiffer(_ notes: [BatchNote]) throws {
        var seen: [String: String] = [:]
        for n in notes {
            if let other = seen[n.name] {
                if other == n.path { throw CLIError(description: "\(n.path) is given twice") }
                throw CLIError(description: "\(other) and \(n.path) would both write \(n.name).*; rename one or give them separately")
            }
            seen[n.name] = n.path
        }
    }

    private static func stem(_ path: String) -> String { (path as NSString).deletingPathExtension }
}
