import Analysis
import FMSynthesis

/// The target as the inharmonic fitness sees it (issue 14): a note's semitone-band amplitudes
/// (BandSpectrum, fmscore's `band_frames`) over its active frames, the weights of the band fit
/// (BandFit) and everything the per-genome work reads, computed once.
///
/// A genome's units have ratios on a RatioGrid of f0; a component at grid frequency q (an
/// integer) lies at q·f0/steps Hz. Components are kept up to `topSlot` — Nyquist or the top band
/// edge plus the window's reach, whichever is lower (the render is alias-free: nothing above
/// Nyquist sounds).
public final class BandFitnessTarget: Sendable {
    public let spectrum: BandSpectrum
    /// The reference frequency the ratios multiply (Hz).
    public let f0: Double
    public let grid: RatioGrid
    /// Bands B, FFT bins (n/2 + 1), frames T (the active ones unless `allFrames`).
    public let bandCount: Int, binCount: Int, frames: Int
    /// Grid frequencies above this are not modelled.
    public let topSlot: Int
    /// Bins per grid step.
    public let binsPerSlot: Double
    /// Band of every bin (−1: outside every band).
    let bandOfBin: [Int32]
    /// |W(δ)|² of the analysis window at δ = i/`tableResolution` bins, i = 0 … reach·resolution + 1
    /// (the periodic Hann's transform is symmetric in δ), interpolated linearly.
    let windowTable: [Double]
    static let tableResolution = 512
    /// Per active frame (frame-major, B each): b, w = 1/(4b² + ε) and w·b².
    let amplitude: [Double], weight: [Double], weightedPower: [Double]
    /// Per active frame: 1 / max(Σ b², floor) (RelativeError's floored denominator).
    let inverseDenominator: [Double]
    /// Each frame's centre (s from the start of the note).
    public let frameTimes: [Double]
    /// The note's length (s).
    public var duration: Double { Double(spectrum.sampleCount) / Double(spectrum.sampleRate) }

    /// `allFrames`: every frame, silent ones too (to fit a render's envelopes), not only the
    /// active ones the error counts.
    public init(spectrum s: BandSpectrum, f0: Double, grid: RatioGrid = .fine, allFrames: Bool = false) {
        precondition(f0 > 0)
        spectrum = s
        self.f0 = f0
        self.grid = grid
        bandCount = s.bands.count
        binCount = s.size / 2 + 1
        binsPerSlot = f0 / Double(grid.steps) / s.binHz
        let topHz = min(Double(s.sampleRate) / 2,
                        Double((s.bands.last?.upperBound ?? 0) + BandModel.reach) * s.binHz)
        topSlot = Int(topHz / f0 * Double(grid.steps))
        var bandOfBin = [Int32](repeating: -1, count: binCount)
        for (b, band) in s.bands.enumerated() { for k in band where k < binCount { bandOfBin[k] = Int32(b) } }
        self.bandOfBin = bandOfBin
        let R = Self.tableResolution
        windowTable = (0...((BandModel.reach + 2) * R)).map { BandModel.windowPower(Double($0) / Double(R), size: s.size) }
        let B = bandCount
        let rows = (0..<s.frameCount).filter { allFrames || s.active[$0] }
        frames = rows.count
        frameTimes = rows.map { Double($0 * s.hop) / Double(s.sampleRate) }
        var a = [Double](), w = [Double](), wp = [Double](), dens = [Double]()
        for t in rows {
            let b = s.amplitudes[(t * B)..<((t + 1) * B)]
            let loudest = b.max() ?? 0
            let epsilon = max(4 * (0.01 * loudest) * (0.01 * loudest), 1e-300)   // BandFit's weights
            for v in b {
                a.append(v)
                w.append(1 / (4 * v * v + epsilon))
                wp.append(v * v / (4 * v * v + epsilon))
            }
            dens.append(b.reduce(0) { $0 + $1 * $1 })
        }
        amplitude = a; weight = w; weightedPower = wp
        let floor = max(dens.max() ?? 0, 1e-300) * AnalysisSettings.denominatorFloor
        inverseDenominator = dens.map { 1 / max($0, floor) }
    }

    /// |W(δ)|² by the table (|δ| ≤ reach + 1 bins).
    @inline(__always)
    func windowPower(_ delta: Double) -> Double {
        let x = abs(delta) * Double(Self.tableResolution)
        let i = Int(x), f = x - Double(i)
        return windowTable[i] + f * (windowTable[i + 1] - windowTable[i])
    }
}
