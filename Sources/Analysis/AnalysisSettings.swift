/// Fixed constants of the target analysis (method.md, "Analysis of the target"). They are the
/// same values ../shared/tools/fmscore.py uses, so that the error fmevolve optimises is the
/// error the independent scorer measures.
public enum AnalysisSettings {
    /// A frame counts when its RMS is above this level relative to the loudest frame (dB).
    public static let silentFrameDB = -50.0
    /// Onset/offset threshold of the 10 ms moving RMS relative to its peak (dB).
    public static let onsetDB = -40.0
    /// Moving-RMS window for onset detection (s).
    public static let onsetWindowSeconds = 0.010
    /// At most this many harmonics are tracked.
    public static let maxHarmonics = 256
    /// Harmonics are tracked up to min(Nyquist, this) (Hz): the whole audible band.
    public static let harmonicBandHz = 20_000.0
    /// A harmonic peak is searched within ±3 % of k·f0 (and at most ±f0/2).
    public static let peakTolerance = 0.03
    /// Shortest analysis window (samples).
    public static let minimumWindow = 1024
    /// The analysis window spans this many periods of f0.
    public static let periodsPerWindow = 4.0
    /// f0 search range (Hz).
    public static let f0Range: ClosedRange<Double> = 40.0...2500.0
    /// YIN's absolute threshold on the cumulative-mean-normalised difference.
    public static let yinThreshold = 0.1
    /// Peak |x - mean| below this is silence (-80 dBFS).
    public static let silentPeak = 1e-4
    /// A target must last at least this long (s) and one analysis window.
    public static let minimumTargetSeconds = 0.05
    /// Median YIN aperiodicity above this: no stable pitch (noise, a click, DC).
    public static let aperiodicLimit = 0.35
    /// Energy at j·f0/d (j not a multiple of d) above this fraction of the harmonic energy
    /// means the f0 estimate is d times too high.
    public static let subharmonicRatio = 0.02
    /// A frame's err denominator Σ b² is floored at this fraction of the largest (-60 dB).
    public static let denominatorFloor = 1e-6
}
