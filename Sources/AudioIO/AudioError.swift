/// Everything that can go wrong reading or writing audio, each with a one-line message.
public enum AudioError: Error, Equatable, CustomStringConvertible {
    case fileNotFound(path: String)
    case isDirectory(path: String)
    case notAudio(path: String, reason: String)
    case noSamples(path: String)
    case invalidSampleRate(path: String, rate: Int)
    case tooLong(path: String, seconds: Double, limit: Double)
    case nonFinite(path: String, index: Int)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let p): return "\(p): no such file"
        case .isDirectory(let p): return "\(p): is a directory, not an audio file"
        case .notAudio(let p, let r): return "\(p): not a readable audio file (libsndfile: \(r))"
        case .noSamples(let p): return "\(p): contains no audio samples"
        case .invalidSampleRate(let p, let r): return "\(p): invalid sample rate \(r) Hz"
        case .tooLong(let p, let s, let l):
            return "\(p): \(formatSeconds(s)) long; fmevolve matches single notes up to \(formatSeconds(l)) (trim the file, or raise --max-duration)"
        case .nonFinite(let p, let i): return "\(p): sample \(i) is NaN or infinite"
        case .writeFailed(let p, let r): return "cannot write \(p): \(r)"
        }
    }
}

/// "3600 s", "2.5 s", "120 ms".
private func formatSeconds(_ s: Double) -> String {
    if s >= 10 { return "\(Int(s.rounded())) s" }
    if s >= 1 { return "\((s * 10).rounded() / 10) s" }
    return "\(Int((s * 1000).rounded())) ms"
}
