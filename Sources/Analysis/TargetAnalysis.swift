import AudioIO

/// Everything the matcher needs to know about a target recording.
public struct TargetAnalysis: Sendable {
    public var sampleRate: Int
    public var sampleCount: Int
    public var f0: Double
    /// "estimated" or "given" (--f0).
    public var f0Source: String
    public var parameters: AnalysisParameters
    /// Harmonic amplitudes b_k(t), T×K, frame-major: b[t·K + k − 1].
    public var amplitudes: [Double]
    /// RMS of every frame (about its mean).
    public var frameRMS: [Double]
    /// Frames more than 50 dB below the loudest are silent and do not count in err.
    public var active: [Bool]
    /// The pitch every frame's harmonics were measured around (Hz), when the note's pitch moves
    /// and is followed (a pitch curve); nil: k·f0 throughout.
    public var pitchCentres: [Double]?
    /// With pitch centres: the harmonic amplitudes measured around k·f0 instead — what
    /// `../shared/tools/fmscore.py` measures, so that a render's scored error is its `err`.
    public var scoredAmplitudes: [Double]?
    /// The recording's pitch track as fmscore measures it (cents from f0 per frame, NaN where
    /// unpitched or silent): what a render's pitch error is measured against (nil: not measured,
    /// as in runs stored before it).
    public var pitchCents: [Double]?

    public init(sampleRate: Int, sampleCount: Int, f0: Double, f0Source: String, parameters: AnalysisParameters,
                amplitudes: [Double], frameRMS: [Double], active: [Bool], pitchCentres: [Double]? = nil,
                scoredAmplitudes: [Double]? = nil, pitchCents: [Double]? = nil) {
        self.sampleRate = sampleRate; self.sampleCount = sampleCount; self.f0 = f0; self.f0Source = f0Source
        self.parameters = parameters; self.amplitudes = amplitudes; self.frameRMS = frameRMS; self.active = active
        self.pitchCentres = pitchCentres
        self.scoredAmplitudes = scoredAmplitudes
        self.pitchCents = pitchCents
    }

    /// This analysis with the harmonics of `samples` (this recording) measured around
    /// `centres` (Hz per frame) instead of k·f0; nil: around k·f0 again.
    public func following(_ samples: [Double], centres: [Double]?) -> TargetAnalysis {
        var a = self.scored
        if centres != nil { a.scoredAmplitudes = a.amplitudes }
        a.pitchCentres = centres
        a.amplitudes = HarmonicTracker(sampleRate: sampleRate, f0: f0, parameters: parameters)
            .track(samples, centres: centres).amplitudes
        return a
    }

    /// This analysis as fmscore measures: harmonics around k·f0 (itself when it follows no pitch).
    public var scored: TargetAnalysis {
        guard pitchCentres != nil else { return self }
        var a = self
        a.amplitudes = scoredAmplitudes ?? amplitudes
        a.pitchCentres = nil
        a.scoredAmplitudes = nil
        return a
    }

    /// The relative spectral error of a render of this note as `../shared/tools/fmscore.py`
    /// scores it (its `err`): both notes' harmonics measured around k·f0. For a note whose pitch
    /// moves, the fit's error is measured along the pitch curve instead (where the harmonics are).
    public func scoredError(of samples: [Double]) -> Double {
        let a = scored
        return a.relativeSpectralError(a.tracks(of: samples))
    }

    public var frameCount: Int { frameRMS.count }
    public var harmonicCount: Int { parameters.harmonics }
    public var activeFrameCount: Int { active.reduce(0) { $0 + ($1 ? 1 : 0) } }
    public var duration: Double { Double(sampleCount) / Double(sampleRate) }
    /// Time of frame t's centre (s).
    public func frameTime(_ t: Int) -> Double { Double(t * parameters.hop) / Double(sampleRate) }

    /// Analyses a decoded recording: validity checks, f0 (unless given), harmonic tracks.
    public static func analyse(_ audio: Audio, f0 givenF0: Double? = nil) throws -> TargetAnalysis {
        let x = audio.samples, sr = audio.sampleRate
        let need = Signal.minimumLength(sampleRate: sr)
        if x.count < need { throw AnalysisError.tooShort(samples: x.count, sampleRate: sr, needed: need) }
        if Signal.isSilent(x) { throw AnalysisError.silent }
        let f0: Double
        if let g = givenF0 {
            guard g > 0, g.isFinite else { throw AnalysisError.invalidF0(g) }
            f0 = g
        } else {
            f0 = try PitchEstimator.estimate(x, sampleRate: sr)
        }
        let p = try AnalysisParameters(sampleRate: sr, f0: f0)
        if x.count < p.window { throw AnalysisError.tooShort(samples: x.count, sampleRate: sr, needed: p.window) }
        let tracker = HarmonicTracker(sampleRate: sr, f0: f0, parameters: p)
        let (b, rms) = tracker.track(x)
        return TargetAnalysis(sampleRate: sr, sampleCount: x.count, f0: f0,
                              f0Source: givenF0 == nil ? "estimated" : "given", parameters: p,
                              amplitudes: b, frameRMS: rms, active: activeFrames(rms))
    }

    /// rms > peak · 10^(-50/20).
    public static func activeFrames(_ rms: [Double]) -> [Bool] {
        let peak = rms.max() ?? 0
        let threshold = peak * pow10(AnalysisSettings.silentFrameDB / 20)
        return rms.map { $0 > threshold }
    }

    /// The harmonic tracks of another signal (a render) on this target's frames and band (and
    /// around its pitch centres, when it has them).
    public func tracks(of samples: [Double]) -> [Double] {
        var x = samples
        if x.count != sampleCount {             // trim or zero-pad to the target's length
            x = Array(x.prefix(sampleCount)) + [Double](repeating: 0, count: max(0, sampleCount - x.count))
        }
        return HarmonicTracker(sampleRate: sampleRate, f0: f0, parameters: parameters)
            .track(x, centres: pitchCentres).amplitudes
    }

    /// Horner's relative spectral error of harmonic tracks `candidate` (T×K) against the
    /// target's, over the active frames: mean_t sqrt(Σ_k (b − b')² / Σ_k b²), each frame's
    /// denominator floored at 1e-6 of the largest.
    public func relativeSpectralError(_ candidate: [Double]) -> Double {
        let K = harmonicCount
        var dens = [Double](), nums = [Double]()
        for t in 0..<frameCount where active[t] {
            var num = 0.0, den = 0.0
            for k in 0..<K {
                let b = amplitudes[t * K + k], d = b - candidate[t * K + k]
                num += d * d; den += b * b
            }
            nums.append(num); dens.append(den)
        }
        return RelativeError.mean(numerators: nums, denominators: dens)
    }
}
