import FMSynthesis

/// Horner's relative spectral error of one genome against a target (method.md, "Fitness"):
///   err = (1/T) Σ_t sqrt( Σ_k (b_k(t) − |Σ_j a_j(t) s_jk|)² / Σ_k b_k(t)² ),
/// with the unit amplitudes a(t) ≥ 0 fitted to every frame.
///
/// The per-frame fit (SignedFrameFit): the units are sine-phase with signed spectra s_j, so the
/// model's amplitude at harmonic k is |m_k|, m = Σ_j a_j s_j. For each start σ ∈ {+1, −1}
/// (fit +b, fit −b): a = NNLS(S, σ∘b); then repeatedly σ'_k = sign(m_k) and, while σ'∘b ≠ σ∘b
/// and refits remain, a = NNLS(S, σ'∘b). A harmonic the model does not reach
/// (|m_k| ≤ 1e-12·Σ_j a_j‖s_j‖∞, i.e. zero up to round-off) takes σ'_k = +1: its error is b_k²
/// whatever the sign, and a fixed choice keeps round-off from deciding the next refit. Since
/// Σ(b − |m|)² = Σ(σ∘b − m)² for σ = sign(m), and NNLS minimises the latter, no refit increases
/// the error. The frame keeps the better start (a = 0 when neither beats silence).
///
/// One evaluator per thread: it owns every buffer it uses and allocates nothing per call.
/// The work per frame is O(N·K): r = S b, then per pass m = Sᵀa and the frame error together,
/// and r += S Δ only for a refit, where Δ_k = (σ'_k − σ_k) b_k.
public final class FitnessEvaluator: @unchecked Sendable {
    public let target: FitnessTarget
    public let carriers: Int
    public let settings: FitSettings
    private let stride: Int
    private let spectra: AlignedBuffer          // N × stride, zero-padded rows
    private let workspace: SpectrumWorkspace
    private var nnls: GramNNLS
    private let sigma: AlignedBuffer            // stride
    private let delta: AlignedBuffer            // stride
    private let r0: UnsafeMutablePointer<Double>
    private let r: UnsafeMutablePointer<Double>
    private let a: UnsafeMutablePointer<Double>
    private let best: UnsafeMutablePointer<Double>
    /// max_k |s_jk| of each unit of the prepared genome.
    private let peak: UnsafeMutablePointer<Double>

    /// `maxIndex`: the largest modulation index (rad) genomes may carry.
    public init(target: FitnessTarget, carriers: Int, maxIndex: Double, settings: FitSettings = .standard) {
        precondition(carriers >= 1 && carriers <= GramNNLS.maxUnknowns, "1…8 carriers")
        self.target = target
        self.carriers = carriers
        self.settings = settings
        stride = target.stride
        spectra = AlignedBuffer(count: carriers * target.stride)
        workspace = SpectrumWorkspace(maxIndex: maxIndex)
        nnls = GramNNLS(unknowns: carriers)
        sigma = AlignedBuffer(count: target.stride)
        delta = AlignedBuffer(count: target.stride)
        r0 = .allocate(capacity: carriers); r0.initialize(repeating: 0, count: carriers)
        r = .allocate(capacity: carriers); r.initialize(repeating: 0, count: carriers)
        a = .allocate(capacity: carriers); a.initialize(repeating: 0, count: carriers)
        best = .allocate(capacity: carriers); best.initialize(repeating: 0, count: carriers)
        peak = .allocate(capacity: carriers); peak.initialize(repeating: 0, count: carriers)
    }

    deinit {
        nnls.deallocate()
        r0.deallocate(); r.deallocate(); a.deallocate(); best.deallocate(); peak.deallocate()
    }

    /// The relative spectral error of `genome` (its `carriers` units).
    ///
    /// With a finite `bound` the evaluation stops, returning +∞, as soon as the error is certain
    /// to exceed it: every frame adds a non-negative term to the mean, so once the partial sum
    /// passes bound·T the final mean will too. A genetic algorithm that keeps the best of parents
    /// and children never needs the exact error of a child worse than its worst parent.
    public func evaluate(_ genome: UnsafeBufferPointer<FMUnit>, bound: Double = .infinity) -> Double {
        prepare(genome)
        let frames = max(target.frames, 1)
        let limit = bound * Double(frames)
        var sum = 0.0
        for t in 0..<target.frames {
            let e = fitFrame(t)
            sum += (e * target.inverseDenominator[t]).squareRoot()
            if sum > limit { return .infinity }
        }
        return sum / Double(frames)
    }

    public func evaluate(_ genome: [FMUnit], bound: Double = .infinity) -> Double {
        genome.withUnsafeBufferPointer { evaluate($0, bound: bound) }
    }

    /// Fitted amplitudes a_j(t) of every frame of `target` (frame-major, frames × carriers) and
    /// each frame's squared error Σ_k (b − |m|)².
    public func amplitudes(_ genome: [FMUnit]) -> (amplitudes: [Double], frameErrors: [Double]) {
        var out = [Double](repeating: 0, count: target.frames * carriers)
        var errors = [Double](repeating: 0, count: target.frames)
        genome.withUnsafeBufferPointer { prepare($0) }
        for t in 0..<target.frames {
            errors[t] = fitFrame(t)
            for j in 0..<carriers { out[t * carriers + j] = best[j] }
        }
        return (out, errors)
    }

    /// The unit spectra of the last prepared genome (N rows of K values).
    public func unitSpectra() -> [[Double]] {
        (0..<carriers).map { j in (0..<target.harmonics).map { spectra[j * stride + $0] } }
    }

    // MARK: - kernel

    /// Unit spectra and Gram matrix of a genome.
    @inline(__always)
    private func prepare(_ genome: UnsafeBufferPointer<FMUnit>) {
        precondition(genome.count == carriers)
        let K = target.harmonics
        for j in 0..<carriers {
            UnitSpectrum.compute(genome[j], harmonics: K,
                                 into: UnsafeMutableBufferPointer(start: spectra.pointer + j * stride, count: K),
                                 workspace: workspace)
        }
        let n = carriers
        for j in 0..<n {
            var p = 0.0
            for k in 0..<K { p = max(p, abs(spectra[j * stride + k])) }
            peak[j] = p
            for l in j..<n {
                let g = dot(spectra.pointer + j * stride, spectra.pointer + l * stride)
                nnls.gram[j * n + l] = g
                nnls.gram[l * n + j] = g
            }
        }
        nnls.prepare()
    }

    /// Fits frame t; returns its squared error and leaves the amplitudes in `best`.
    @inline(__always)
    private func fitFrame(_ t: Int) -> Double {
        let n = carriers
        let b = UnsafePointer(target.b.pointer + t * stride)
        var rmax = 0.0
        for j in 0..<n {
            r0[j] = dot(spectra.pointer + j * stride, b)
            rmax = max(rmax, abs(r0[j]))
            best[j] = 0
        }
        var bestError = target.energy[t]                    // a = 0
        let threshold = 1e-13 * rmax
        for pass in 0..<2 {
            let start = pass == 0 ? 1.0 : -1.0
            // a start whose r has no positive entry fits a = 0: nothing to gain
            var useful = false
            for j in 0..<n where start * r0[j] > threshold { useful = true }
            if !useful { continue }
            for j in 0..<n { r[j] = start * r0[j] }
            fill(sigma.pointer, start)
            nnls.solve(r, a)
            var refits = 0
            var e: Double
            while true {
                let (err, changed) = signPass(b)
                e = err
                if !changed || refits == settings.signRefits { break }
                for j in 0..<n { r[j] += dot(delta.pointer, spectra.pointer + j * stride) }
                nnls.solve(r, a)
                refits += 1
            }
            if e < bestError {
                bestError = e
                for j in 0..<n { best[j] = a[j] }
            }
        }
        return bestError
    }

    /// One pass over the harmonics for the current a: m = Σ_j a_j s_j, the frame error
    /// Σ (b − |m|)², the new signs σ' = (m < −τ ? −1 : +1), Δ = (σ' − σ)∘b.
    /// Returns (error, Δ ≠ 0).
    @inline(__always)
    private func signPass(_ b: UnsafePointer<Double>) -> (Double, Bool) {
        let n = carriers
        let s = spectra.pointer, sg = sigma.pointer, dl = delta.pointer
        var scale = 0.0
        for j in 0..<n { scale += a[j] * peak[j] }
        let tau = Vec(repeating: -1e-12 * scale)
        var errAcc = Vec(repeating: 0)
        var changed = Vec(repeating: 0)
        var i = 0
        while i < stride {
            var m = Vec(repeating: 0)
            for j in 0..<n { m.addProduct(Vec(repeating: a[j]), load(s + j * stride, i)) }
            let bv = load(b, i)
            let d = bv - (m.replacing(with: -m, where: m .< 0))
            errAcc.addProduct(d, d)
            let old = load(sg, i)
            let new = Vec(repeating: 1).replacing(with: -1, where: m .< tau)
            let dv = (new - old) * bv
            changed += dv * dv
            store(dv, dl, i)
            store(new, sg, i)
            i += simdWidth
        }
        return (errAcc.sum(), changed.sum() > 0)
    }

    @inline(__always)
    private func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        var acc = Vec(repeating: 0)
        var i = 0
        while i < stride {
            acc.addProduct(load(x, i), load(y, i))
            i += simdWidth
        }
        return acc.sum()
    }

    @inline(__always)
    private func dot(_ x: UnsafeMutablePointer<Double>, _ y: UnsafeMutablePointer<Double>) -> Double {
        dot(UnsafePointer(x), UnsafePointer(y))
    }

    @inline(__always)
    private func fill(_ p: UnsafeMutablePointer<Double>, _ v: Double) {
        for i in 0..<stride { p[i] = v }
    }
}
