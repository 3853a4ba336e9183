/// Checkpoint problems, each a one-line message naming the file.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    case notACheckpoint(path: String, reason: String)
    case damaged(path: String, reason: String)
    case newerSchema(path: String, found: Int, supported: Int)
    case inUse(path: String, holder: String)
    case cannotCreate(path: String, reason: String)
    case notFound(path: String)
    case noRuns(path: String)
    case noGeneration(path: String, generation: Int)
    case emptyRun(path: String, run: Int)
    case targetMissing(recorded: String)
    case targetChanged(path: String)
    case analysisChanged(path: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .notACheckpoint(let p, let r): return "\(p) is not an fmevolve checkpoint (\(r))"
        case .damaged(let p, let r): return "\(p) is damaged (\(r)); it was left as it is"
        case .newerSchema(let p, let f, let s):
            return "\(p) was written by a newer fmevolve (schema \(f), this one reads up to \(s)); it was left as it is"
        case .inUse(let p, let h): return "\(p) is in use by \(h); wait for it to finish or stop it first"
        case .cannotCreate(let p, let r): return "cannot create \(p): \(r)"
        case .notFound(let p): return "\(p): no such checkpoint"
        case .noRuns(let p): return "\(p) holds no runs"
        case .noGeneration(let p, let g): return "\(p) has no stored generation \(g)"
        case .emptyRun(let p, let r):
            return "run \(r) of \(p) stopped before its first generation was committed; start it again with 'fmevolve evolve'"
        case .targetMissing(let r):
            return "the run's target \(r) is missing; pass --target NEWPATH if it moved"
        case .targetChanged(let p):
            return "\(p) is not the recording this run started from (its samples differ); pass --target with the original file"
        case .analysisChanged(let p):
            return "the analysis of \(p) differs from the checkpoint's (another fmevolve version?); a resumed run would not match"
        case .writeFailed(let p, let r): return "cannot write checkpoint \(p): \(r)"
        }
    }
}
