import FFTW
#if canImport(Glibc)
import Glibc
#endif

/// A note's spectrum on semitone bands, frame by frame: what `../shared/tools/fmscore.py` calls
/// `band_frames`, so that fmevolve's band error is the scorer's `err_bands`. Unlike the harmonic
/// tracks it sees every partial — those between harmonics, noise, clicks.
///
/// Frames of n = 2^round(log2(4096·sr/44100)) samples (4096 at 44.1 kHz: 93 ms, a 10.8 Hz bin)
/// centred on i·n/4 (the signal extended by its edge values), each frame's mean removed,
/// Hann-windowed (periodic), power spectrum P = |FFT|². Bands: semitone edges from 40 Hz up to
/// min(sr/2, 20 kHz), each band at least 2 FFT bins wide (narrower ones merged upward); a band's
/// amplitude is √(Σ P over its bins). A frame is active when its RMS is within 50 dB of the
/// loudest frame's.
public struct BandSpectrum: Sendable {
    public let sampleRate: Int
    /// Samples of the note.
    public let sampleCount: Int
    /// FFT size n (the window) and hop n/4 (samples).
    public let size: Int, hop: Int
    /// Bands as FFT bin ranges [lo, hi).
    public let bands: [Range<Int>]
    /// Band amplitudes, T×B, frame-major.
    public let amplitudes: [Double]
    public let frameRMS: [Double]
    public let active: [Bool]
    /// Σ P over the active frames, per FFT bin (the note's long-term power spectrum).
    public let activePower: [Double]
    /// Σ P/‖P‖ over the active frames, per FFT bin: every frame's spectrum counted alike, as the
    /// band error counts them (a bell's brief attack partials weigh as much as its long hum).
    public let activeShare: [Double]

    /// Lowest band edge (Hz).
    public static let lowestHz = 40.0

    public var frameCount: Int { frameRMS.count }
    public var binHz: Double { Double(sampleRate) / Double(size) }

    public init(_ x: [Double], sampleRate: Int) {
        self.sampleRate = sampleRate
        sampleCount = x.count
        size = 1 << Int(log2(4096 * Double(sampleRate) / 44100).rounded(.toNearestOrEven))
        hop = size / 4
        let top = min(Double(sampleRate) / 2, AnalysisSettings.harmonicBandHz)
        bands = Self.bands(sampleRate: sampleRate, size: size, top: top)
        let fft = RealFFT(size: size), window = Window.hann(size, periodic: true)
        let T = 1 + x.count / hop, B = bands.count
        var amplitudes = [Double](repeating: 0, count: T * B), rms = [Double](repeating: 0, count: T)
        var power = [Double](repeating: 0, count: fft.binCount)
        var frame = [Double](repeating: 0, count: size)
        // the frames' RMS first (which frames are active), then the spectra
        for t in 0..<T { rms[t] = Self.frame(x, t, size: size, hop: hop, into: &frame) }
        let loudest = rms.max() ?? 0
        active = rms.map { $0 > loudest * pow(10, AnalysisSettings.silentFrameDB / 20) }
        var sum = [Double](repeating: 0, count: fft.binCount), share = sum
        for t in 0..<T {
            _ = Self.frame(x, t, size: size, hop: hop, into: &frame)
            for j in 0..<size { fft.input[j] = frame[j] * window[j] }
            fft.transform()
            var frameTotal = 0.0
            for k in 0..<fft.binCount {
                let (re, im) = fft.bin(k)
                power[k] = re * re + im * im
                frameTotal += power[k]
                if active[t] { sum[k] += power[k] }
            }
            if active[t] && frameTotal > 0 { for k in 0..<fft.binCount { share[k] += power[k] / frameTotal } }
            for (b, band) in bands.enumerated() {
                var s = 0.0
                for k in band { s += power[k] }
                amplitudes[t * B + b] = s.squareRoot()
            }
        }
        self.amplitudes = amplitudes
        frameRMS = rms
        activePower = sum
        activeShare = share
    }

    /// Frame t of x (centred on t·hop, edge-extended, mean removed) into `out`; returns its RMS.
    static func frame(_ x: [Double], _ t: Int, size n: Int, hop: Int, into out: inout [Double]) -> Double {
        let first = x.first ?? 0, last = x.last ?? 0
        var mean = 0.0
        for j in 0..<n {
            let i = t * hop + j - n / 2
            out[j] = i < 0 ? first : (i >= x.count ? last : x[i])
            mean += out[j]
        }
        mean /= Double(n)
        var ss = 0.0
        for j in 0..<n {
            out[j] -= mean
            ss += out[j] * out[j]
        }
        return (ss / Double(n)).squareRoot()
    }

    /// Semitone bands from `lowestHz` to `top` as bin ranges, each at least 2 bins wide.
    static func bands(sampleRate: Int, size: Int, top: Double) -> [Range<Int>] {
        let df = Double(sampleRate) / Double(size)
        var edges = [lowestHz]
        while edges[edges.count - 1] * pow(2, 1.0 / 12) < top { edges.append(edges[edges.count - 1] * pow(2, 1.0 / 12)) }
        edges.append(top)
        let bins = edges.map { Int(($0 / df).rounded(.toNearestOrEven)) }
        var out: [Range<Int>] = [], lo = bins[0]
        for b in bins.dropFirst() where b - lo >= 2 {
            out.append(lo..<b)
            lo = b
        }
        if let lastBand = out.last, lo < bins[bins.count - 1] { out[out.count - 1] = lastBand.lowerBound..<bins[bins.count - 1] }
        return out
    }

    /// The band error of `candidate` (a render of this note, trimmed or zero-padded to its length)
    /// against this note: Horner's relative error on the band amplitudes over this note's active
    /// frames (`err_bands`).
    public func error(of candidate: [Double]) -> Double {
        let x = Array(candidate.prefix(sampleCount)) + [Double](repeating: 0, count: max(0, sampleCount - candidate.count))
        let other = BandSpectrum(x, sampleRate: sampleRate)
        let B = bands.count
        var nums = [Double](), dens = [Double]()
        for t in 0..<frameCount where active[t] {
            var num = 0.0, den = 0.0
            for b in 0..<B {
                let a = amplitudes[t * B + b], c = t < other.frameCount ? other.amplitudes[t * B + b] : 0
                num += (a - c) * (a - c); den += a * a
            }
            nums.append(num); dens.append(den)
        }
        return RelativeError.mean(numerators: nums, denominators: dens)
    }
}
