/// A decoded recording, mixed to mono.
public struct Audio: Sendable, Equatable {
    /// Mono samples (the mean of the file's channels), nominally in [-1, 1].
    public var samples: [Double]
    /// Samples per second.
    public var sampleRate: Int
    /// Channels in the file before mixing.
    public var channels: Int
    /// libsndfile's name of the container and encoding, e.g. "WAV (Microsoft) / Signed 16 bit PCM".
    public var format: String

    public init(samples: [Double], sampleRate: Int, channels: Int = 1, format: String = "") {
        self.samples = samples
        self.sampleRate = sampleRate
        self.channels = channels
        self.format = format
    }

    /// Length in seconds.
    public var duration: Double { Double(samples.count) / Double(sampleRate) }
}
