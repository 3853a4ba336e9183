/// Export problems, each a one-line message.
public enum ExportError: Error, Equatable, CustomStringConvertible {
    case notFound(String)
    case invalidPatch(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case needsTarget(format: String, reason: String)
    /// A format not yet written for the inharmonic mode's real ratios.
    case inharmonic(format: String)

    public var description: String {
        switch self {
        case .notFound(let p): return "\(p): no such file"
        case .invalidPatch(let p, let r): return "\(p): invalid patch file: \(r)"
        case .cannotWrite(let p, let r): return "cannot write \(p): \(r)"
        case .needsTarget(let f, let r):
            return "the \(f) export needs the target recording (\(r)): export from the checkpoint, or keep the patch's target file where it was"
        case .inharmonic(let f):
            return "the \(f) export does not yet play non-integer ratios: this inharmonic patch is exported as \(ExportFormat.allCases.filter(\.playsRealRatios).map(\.rawValue).joined(separator: ", ")) only"
        }
    }
}
