import CSndFile
#if canImport(Glibc)
import Glibc
#endif

/// Containers fmevolve can write through libsndfile.
public enum AudioContainer: String, Sendable, CaseIterable {
    case wav, aiff, flac, ogg

    var sndfileType: Int32 {
        switch self {
        case .wav: return Int32(SF_FORMAT_WAV)
        case .aiff: return Int32(SF_FORMAT_AIFF)
        case .flac: return Int32(SF_FORMAT_FLAC)
        case .ogg: return Int32(SF_FORMAT_OGG)
        }
    }
}

/// Sample encodings.
public enum AudioEncoding: String, Sendable, CaseIterable {
    /// 32-bit IEEE float: no clipping, exact levels (the default for renders).
    case float32 = "float"
    /// 16-bit PCM, clipped to [-1, 1).
    case pcm16
    case pcm24
    /// 8-bit PCM (unsigned in WAV, signed in AIFF).
    case pcm8
    /// Ogg Vorbis (lossy).
    case vorbis

    func sndfileSubtype(_ container: AudioContainer) -> Int32 {
        switch self {
        case .float32: return Int32(SF_FORMAT_FLOAT)
        case .pcm16: return Int32(SF_FORMAT_PCM_16)
        case .pcm24: return Int32(SF_FORMAT_PCM_24)
        case .pcm8: return container == .wav ? Int32(SF_FORMAT_PCM_U8) : Int32(SF_FORMAT_PCM_S8)
        case .vorbis: return Int32(SF_FORMAT_VORBIS)
        }
    }
}

public enum AudioWriter {
    /// Writes mono samples as a WAV file (see `write`). Returns the number of clipped samples.
    @discardableResult
    public static func writeWAV(path: String, samples: [Double], sampleRate: Int,
                                encoding: AudioEncoding = .float32) throws -> Int {
        try write(path: path, interleaved: samples, channels: 1, sampleRate: sampleRate, container: .wav, encoding: encoding)
    }

    /// Writes interleaved samples. The file is written next to `path` under a temporary name and
    /// renamed into place, so a crash never leaves a half-written file at `path`. Integer
    /// encodings clip to [-1, 1); returns the number of samples that were clipped.
    @discardableResult
    public static func write(path: String, interleaved samples: [Double], channels: Int, sampleRate: Int,
                             container: AudioContainer, encoding: AudioEncoding) throws -> Int {
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = container.sndfileType | encoding.sndfileSubtype(container)
        guard sf_format_check(&info) == SF_TRUE else {
            throw AudioError.writeFailed(path: path, reason: "libsndfile cannot write \(encoding.rawValue) in \(container.rawValue)")
        }
        let tmp = path + ".tmp-\(getpid())"
        guard let file = sf_open(tmp, Int32(SFM_WRITE), &info) else {
            let reason = String(cString: sf_strerror(nil)).trimmingTrailingPeriod()
            throw AudioError.writeFailed(path: path, reason: reason)
        }
        // no PEAK chunk (libsndfile adds one to float WAV/AIFF files): it holds the time of
        // writing, so the same samples written a second apart would differ byte for byte
        sf_command(file, Int32(SFC_SET_ADD_PEAK_CHUNK), nil, Int32(SF_FALSE))
        var clipped = 0
        if encoding != .float32 && encoding != .vorbis {
            sf_command(file, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
            clipped = samples.reduce(0) { $0 + (abs($1) > 1 ? 1 : 0) }
        }
        let frames = samples.count / max(channels, 1)
        let written = samples.withUnsafeBufferPointer { sf_writef_double(file, $0.baseAddress, sf_count_t(frames)) }
        let writeError = sf_error(file)
        let closeStatus = sf_close(file)
        guard written == sf_count_t(frames), writeError == 0, closeStatus == 0 else {
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
