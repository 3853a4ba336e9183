import CSndFile
#if canImport(Glibc)
import Glibc
#endif

/// Sample encodings fmevolve writes.
public enum WAVEncoding: String, Sendable, CaseIterable {
    /// 32-bit IEEE float: no clipping, exact levels (the default for renders).
    case float32 = "float"
    /// 16-bit PCM, clipped to [-1, 1).
    case pcm16 = "pcm16"

    var sndfileSubtype: Int32 {
        switch self {
        case .float32: return Int32(SF_FORMAT_FLOAT)
        case .pcm16: return Int32(SF_FORMAT_PCM_16)
        }
    }
}

public enum AudioWriter {
    /// Writes mono samples as a WAV file. The file is written next to `path` under a temporary
    /// name and renamed into place, so a crash never leaves a half-written file at `path`.
    /// Returns the number of samples that were clipped (always 0 for float).
    @discardableResult
    public static func writeWAV(path: String, samples: [Double], sampleRate: Int,
                                encoding: WAVEncoding = .float32) throws -> Int {
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = 1
        info.format = Int32(SF_FORMAT_WAV) | encoding.sndfileSubtype
        let tmp = path + ".tmp-\(getpid())"
        guard let file = sf_open(tmp, Int32(SFM_WRITE), &info) else {
            let reason = String(cString: sf_strerror(nil)).trimmingTrailingPeriod()
            throw AudioError.writeFailed(path: path, reason: reason)
        }
        var clipped = 0
        if encoding == .pcm16 {
            sf_command(file, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
            clipped = samples.reduce(0) { $0 + (abs($1) > 1 ? 1 : 0) }
        }
        let written = samples.withUnsafeBufferPointer { sf_writef_double(file, $0.baseAddress, sf_count_t($0.count)) }
        let writeError = sf_error(file)
        let closeStatus = sf_close(file)
        guard written == sf_count_t(samples.count), writeError == 0, closeStatus == 0 else {
            unlink(tmp)
            throw AudioError.writeFailed(path: path, reason: "short write (disk full?)")
        }
        guard rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw AudioError.writeFailed(path: path, reason: reason)
        }
        return clipped
    }
}
