import CSndFile
#if canImport(Glibc)
import Glibc
#endif

/// Reads any file libsndfile can decode (WAV, AIFF, FLAC, OGG/Vorbis, Opus, CAF, …) at its own
/// sample rate and sample format (8/16/24/32-bit integer, float, double), mixing channels to mono.
public enum AudioReader {
    /// Default longest recording accepted, in seconds. A single note longer than this is almost
    /// certainly the wrong file, and fitting it would take time and memory for nothing.
    public static let defaultMaxSeconds = 120.0

    public static func read(path: String, maxSeconds: Double = defaultMaxSeconds) throws -> Audio {
        var st = stat()
        guard stat(path, &st) == 0 else { throw AudioError.fileNotFound(path: path) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw AudioError.isDirectory(path: path) }
        if st.st_size == 0 { throw AudioError.noSamples(path: path) }

        var info = SF_INFO()
        guard let file = sf_open(path, Int32(SFM_READ), &info) else {
            let reason = String(cString: sf_strerror(nil)).trimmingTrailingPeriod()
            throw AudioError.notAudio(path: path, reason: reason)
        }
        defer { sf_close(file) }

        guard info.samplerate > 0 else { throw AudioError.invalidSampleRate(path: path, rate: Int(info.samplerate)) }
        guard info.channels > 0, info.frames > 0 else { throw AudioError.noSamples(path: path) }
        let seconds = Double(info.frames) / Double(info.samplerate)
        if seconds > maxSeconds { throw AudioError.tooLong(path: path, seconds: seconds, limit: maxSeconds) }

        let channels = Int(info.channels)
        var mono = [Double]()
        mono.reserveCapacity(Int(info.frames))
        let chunk = 8192
        var buffer = [Double](repeating: 0, count: chunk * channels)
        let scale = 1.0 / Double(channels)
        while true {
            let got = buffer.withUnsafeMutableBufferPointer { sf_readf_double(file, $0.baseAddress, sf_count_t(chunk)) }
            if got <= 0 { break }
            for f in 0..<Int(got) {
                var s = 0.0
                for c in 0..<channels { s += buffer[f * channels + c] }
                let v = channels == 1 ? s : s * scale
                if !v.isFinite { throw AudioError.nonFinite(path: path, index: mono.count) }
                mono.append(v)
            }
        }
        if mono.isEmpty { throw AudioError.noSamples(path: path) }
        return Audio(samples: mono, sampleRate: Int(info.samplerate), channels: channels,
                     format: formatName(info.format))
    }

    private static func formatName(_ format: Int32) -> String {
        var major = SF_FORMAT_INFO()
        major.format = format & Int32(SF_FORMAT_TYPEMASK)
        var sub = SF_FORMAT_INFO()
        sub.format = format & Int32(SF_FORMAT_SUBMASK)
        let size = Int32(MemoryLayout<SF_FORMAT_INFO>.size)
        let m = sf_command(nil, Int32(SFC_GET_FORMAT_INFO), &major, size) == 0 && major.name != nil
            ? String(cString: major.name) : "unknown"
        let s = sf_command(nil, Int32(SFC_GET_FORMAT_INFO), &sub, size) == 0 && sub.name != nil
            ? String(cString: sub.name) : "unknown"
        return "\(m) / \(s)"
    }
}

extension String {
    func trimmingTrailingPeriod() -> String {
        var s = self
        while let last = s.last, last == "." || last == " " || last == "\n" { s.removeLast() }
        return s
    }
}
