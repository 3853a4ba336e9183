import FFTW
#if canImport(Glibc)
import Glibc
#endif

/// Window, hop, band and FFT size of the harmonic analysis for a given f0 and sample rate.
public struct AnalysisParameters: Sendable, Equatable, Codable {
    /// Hann window length N = max(1024, round(4·sr/f0)) samples.
    public var window: Int
    /// Hop H = N/4 samples; frame i is centred on sample i·H.
    public var hop: Int
    /// Number of harmonics K: every k with k·f0 < min(sr/2, 20 kHz), at most 256.
    public var harmonics: Int
    /// FFT size: the power of two ≥ 2N (2× zero padding).
    public var fftSize: Int

    public init(sampleRate: Int, f0: Double) throws {
        guard f0 > 0, f0.isFinite else { throw AnalysisError.invalidF0(f0) }
        let sr = Double(sampleRate)
        window = max(AnalysisSettings.minimumWindow, roundHalfEven(AnalysisSettings.periodsPerWindow * sr / f0))
        hop = max(1, window / 4)
        let band = min(sr / 2, AnalysisSettings.harmonicBandHz)
        let k = Int(min(Double(AnalysisSettings.maxHarmonics), (band / f0).rounded(.up) - 1))
        guard k >= 1 else { throw AnalysisError.f0OutOfBand(f0: f0, bandHz: band) }
        harmonics = k
        fftSize = RealFFT.nextPowerOfTwo(2 * window)
    }
}

/// Harmonic amplitude tracks b_k(t) (method.md step 3).
///
/// Frames of N samples centred on i·H (the signal is extended by its edge values), each frame's
/// mean removed, Hann-windowed, FFT of size ≥ 2N. For k = 1…K the amplitude of the local maximum
/// nearest k·f0 within ±min(3 %·k·f0, f0/2), refined by a parabola through the log magnitudes,
/// scaled to sinusoid amplitude 2|X|/Σw; where that range holds no local maximum, the magnitude
/// at the bin nearest k·f0.
/// With `centres` (Hz per frame: a note whose pitch moves, PitchCurve) harmonic k of frame t is
/// searched around k·centre_t instead wherever its shift from k·f0 is large enough for the search
/// around k·f0 to miss it (`follows`), so that the high harmonics of a vibrato or a falling drum are
/// not lost; where the shift is smaller, the search around k·f0 finds the very peak, and it stays
/// there: fmscore reads those harmonics so, the weak ones (near the noise) included.
public final class HarmonicTracker {
    public let sampleRate: Int
    public let f0: Double
    public let parameters: AnalysisParameters
    private let fft: RealFFT
    private let window: [Double]
    private let scale: Double

    public init(sampleRate: Int, f0: Double, parameters: AnalysisParameters) {
        self.sampleRate = sampleRate
        self.f0 = f0
        self.parameters = parameters
        fft = RealFFT(size: parameters.fftSize)
        window = Window.hann(parameters.window, periodic: true)
        scale = 2.0 / window.reduce(0, +)
    }

    /// Number of frames for a signal of n samples: 1 + n/H.
    public func frameCount(samples n: Int) -> Int { 1 + n / parameters.hop }

    /// Returns b (T×K, frame-major) and each frame's RMS about its mean; `centres`: the pitch of
    /// every frame (Hz; frames beyond it use its last), nil: f0 throughout.
    public func track(_ x: [Double], centres: [Double]? = nil) -> (amplitudes: [Double], frameRMS: [Double]) {
        let K = parameters.harmonics
        let T = frameCount(samples: x.count)
        var b = [Double](repeating: 0, count: T * K)
        var rms = [Double](repeating: 0, count: T)
        var logm = [Double](repeating: 0, count: fft.binCount)
        let df = Double(sampleRate) / Double(parameters.fftSize)
        forEachFrame(x) { t, mag, frameRMS in
            rms[t] = frameRMS
            var mmax = 0.0
            for v in mag { mmax = max(mmax, v) }
            let floor = max(mmax * 1e-10, 1e-300)
            for j in 0..<mag.count { logm[j] = log(max(mag[j], floor)) }
            let centre = centres.map { $0.isEmpty ? f0 : $0[min(t, $0.count - 1)] } ?? f0
            for k in 1...K {
                let around = centre != f0 && Self.follows(k: k, f0: f0, centre: centre, df: df) ? centre : f0
                b[t * K + k - 1] = Self.peak(k: k, f0: around, df: df, mag: mag, logm: logm)
            }
        }
        return (b, rms)
    }

    /// Calls `body(t, |X_t|, rms_t)` for every frame t of x: the frame's magnitude spectrum
    /// (sinusoid amplitude scale 2|X|/Σw) and its RMS about its mean.
    /// `order`: the frames to visit, in that order (default: all, first to last).
    public func forEachFrame(_ x: [Double], order: [Int]? = nil, _ body: (Int, [Double], Double) -> Void) {
        let N = parameters.window, H = parameters.hop
        let T = frameCount(samples: x.count)
        var frame = [Double](repeating: 0, count: N)
        var mag = [Double](repeating: 0, count: fft.binCount)
        let first = x.first ?? 0, last = x.last ?? 0
        let padL = N / 2
        for t in order ?? Array(0..<T) {
            // frame t covers padded[t·H ..< t·H + N], padded = edge-extended x shifted by N/2
            var mean = 0.0
            for j in 0..<N {
                let i = t * H + j - padL
                let v = i < 0 ? first : (i >= x.count ? last : x[i])
                frame[j] = v
                mean += v
            }
            mean /= Double(N)
            var ss = 0.0
            for j in 0..<N {
                let v = frame[j] - mean
                ss += v * v
                fft.input[j] = v * window[j]
            }
            for j in N..<fft.size { fft.input[j] = 0 }
            fft.transform()
            mag.withUnsafeMutableBufferPointer { fft.magnitudes(into: $0, scale: scale) }
            body(t, mag, (ss / Double(N)).squareRoot())
        }
    }

    /// Shift (FFT bins) from which a harmonic is searched around its moved frequency: from about
    /// 2.5 bins of the 2×-padded spectrum a Hann window's first side lobe (5 bins from its peak)
    /// lies nearer k·f0 than the peak does, and the nearest-peak rule reads the side lobe.
    public static let followShiftBins = 2.0

    /// Whether harmonic k of a frame whose pitch is `centre` is searched around k·centre: its
    /// shift k·|centre − f0| is at least `followShiftBins` bins, or brings it within a bin of the
    /// edge of the search around k·f0 (±min(3 %·k·f0, f0/2)).
    @inline(__always)
    public static func follows(k: Int, f0: Double, centre: Double, df: Double) -> Bool {
        let shift = Double(k) * abs(centre - f0)
        let half = min(AnalysisSettings.peakTolerance * Double(k) * f0, 0.5 * f0)
        return shift >= followShiftBins * df || shift >= half - df
    }

    /// Whether any harmonic of any frame with these centres is searched away from k·f0.
    public func followsAny(centres: [Double]) -> Bool {
        let df = Double(sampleRate) / Double(parameters.fftSize), K = parameters.harmonics
        return centres.contains { c in c != f0 && (1...K).contains { Self.follows(k: $0, f0: f0, centre: c, df: df) } }
    }

    @inline(__always)
    private static func peak(k: Int, f0: Double, df: Double, mag: [Double], logm: [Double]) -> Double {
        let nb = mag.count
        let fk = Double(k) * f0
        let half = min(AnalysisSettings.peakTolerance * fk, 0.5 * f0)
        let c = fk / df
        let cn = roundHalfEven(c)
        let lo = max(1, min(Int(((fk - half) / df).rounded(.up)), cn))
        let hi = min(nb - 2, max(Int(((fk + half) / df).rounded(.down)), cn))
        if hi < lo { return 0 }
        var best = -1
        var bestDist = Double.infinity
        for j in lo...hi {
            let m0 = mag[j]
            if m0 >= mag[j - 1] && m0 > mag[j + 1] && m0 > 0 {
                let d = abs(Double(j) - c)
                if d < bestDist { bestDist = d; best = j }
            }
        }
        if best < 0 { return mag[min(max(cn, 0), nb - 1)] }
        let a = logm[best - 1], bb = logm[best], g = logm[best + 1]
        let den = a - 2 * bb + g
        var p = den < 0 ? 0.5 * (a - g) / den : 0
        p = min(max(p, -0.5), 0.5)
        return exp(bb + min(max(-0.25 * (a - g) * p, 0), log(1.2)))
    }
}
