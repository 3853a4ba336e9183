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
/// One evaluator per thread: it owns every buffer it uses and allocates nothing per call. The
/// hot loop reads the shared target through raw pointers taken at init: touching the shared
/// objects themselves would retain and release them, and their reference counts would bounce
/// between cores (that alone held two threads to a 1.1–1.3× speed-up).
/// The work per frame is O(N·K): r = S b once, then each pass computes only m = Sᵀa and its
/// signs; r_σ = S(σ∘b) is kept up to date by adding S Δ over the harmonics whose sign flipped
/// (Δ_k = (σ'_k − σ_k) b_k), and the frame error needs no second pass over the harmonics:
///   Σ_k (b_k − |m_k|)² = ‖b‖² + aᵀG a − 2 aᵀ r_σ   for σ = sign(m)
/// (Σ_k b_k|m_k| = Σ_k σ_k b_k m_k = aᵀ S(σ∘b)), with G the exact Gram matrix.
public final class FitnessEvaluator: @unchecked Sendable {
    public let target: FitnessTarget
    public let carriers: Int
    public let settings: FitSettings
    private let stride: Int
    private let frames: Int
    /// b_k(t), ‖b(t)‖² and the err denominators of the (shared, immutable) target.
    private let bRows: UnsafePointer<Double>
    private let energy: UnsafePointer<Double>
    private let inverseDenominator: UnsafePointer<Double>
    private let spectra: AlignedBuffer          // N × stride, zero-padded rows
    private let s: UnsafeMutablePointer<Double>
    private let sg: UnsafeMutablePointer<Double>
    private let acc: UnsafeMutablePointer<Double>
    private let workspace: SpectrumWorkspace
    private let nnls: GramNNLS
    private let sigma: AlignedBuffer            // stride
    private let r0: UnsafeMutablePointer<Double>
    private let r: UnsafeMutablePointer<Double>
    private let a: UnsafeMutablePointer<Double>
    private let best: UnsafeMutablePointer<Double>
    /// max_k |s_jk| of each unit of the prepared genome.
    private let peak: UnsafeMutablePointer<Double>
    /// The exact Gram matrix S Sᵀ (without the solver's ridge), for the closed-form error.
    private let gram: UnsafeMutablePointer<Double>
    /// r updates of a pass, one SIMD accumulator per unit.
    private let rUpdate: AlignedBuffer
    /// The support of the last NNLS solution, tried first by the next solve (in scratch memory:
    /// the evaluator object itself is never written after init).
    private let support: UnsafeMutablePointer<UInt32>

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
        r0 = scratch(carriers, 0.0)
        r = scratch(carriers, 0.0)
        a = scratch(carriers, 0.0)
        best = scratch(carriers, 0.0)
        peak = scratch(carriers, 0.0)
        gram = scratch(carriers * carriers, 0.0)
        support = scratch(1, UInt32(0))
        rUpdate = AlignedBuffer(count: carriers * simdWidth)
        frames = target.frames
        bRows = UnsafePointer(target.b.pointer)
        energy = UnsafePointer(target.energy.pointer)
        inverseDenominator = UnsafePointer(target.inverseDenominator.pointer)
        s = spectra.pointer
        sg = sigma.pointer
        acc = rUpdate.pointer
    }

    deinit {
        nnls.deallocate()
        r0.deallocate(); r.deallocate(); a.deallocate(); best.deallocate(); peak.deallocate(); gram.deallocate()
        support.deallocate()
    }

    /// The relative spectral error of `genome` (its `carriers` units).
    ///
    /// With a finite `bound` the evaluation stops, returning +∞, as soon as the error is certain
    /// to exceed it: every frame adds a non-negative term to the mean, so once the partial sum
    /// passes bound·T the final mean will too. A genetic algorithm that keeps the best of parents
    /// and children never needs the exact error of a child worse than its worst parent.
    public func evaluate(_ genome: UnsafeBufferPointer<FMUnit>, bound: Double = .infinity) -> Double {
        prepare(genome)
        let limit = bound * Double(max(frames, 1))
        var sum = 0.0
        for t in 0..<frames {
            let e = fitFrame(t)
            sum += (e * inverseDenominator[t]).squareRoot()
            if sum > limit { return .infinity }
        }
        return sum / Double(max(frames, 1))
    }

    public func evaluate(_ genome: [FMUnit], bound: Double = .infinity) -> Double {
        genome.withUnsafeBufferPointer { evaluate($0, bound: bound) }
    }

    /// Fitted amplitudes a_j(t) of every frame of `target` (frame-major, frames × carriers) and
    /// each frame's squared error Σ_k (b − |m|)².
    public func amplitudes(_ genome: [FMUnit]) -> (amplitudes: [Double], frameErrors: [Double]) {
        var out = [Double](repeating: 0, count: frames * carriers)
        var errors = [Double](repeating: 0, count: frames)
        genome.withUnsafeBufferPointer { prepare($0) }
        for t in 0..<frames {
            errors[t] = fitFrame(t)
            for j in 0..<carriers { out[t * carriers + j] = best[j] }
        }
        return (out, errors)
    }

    /// The unit spectra of the last prepared genome (N rows of K values).
    public func unitSpectra() -> [[Double]] {
        (0..<carriers).map { j in (0..<target.harmonics).map { s[j * stride + $0] } }
    }

    // MARK: - kernel

    /// Unit spectra and Gram matrix of a genome.
    @inline(__always)
    private func prepare(_ genome: UnsafeBufferPointer<FMUnit>) {
        precondition(genome.count == carriers)
        let K = target.harmonics
        for j in 0..<carriers {
            UnitSpectrum.compute(genome[j], harmonics: K,
                                 into: UnsafeMutableBufferPointer(start: s + j * stride, count: K),
                                 workspace: workspace)
        }
        let n = carriers
        for j in 0..<n {
            var p = 0.0
            for k in 0..<K { p = max(p, abs(s[j * stride + k])) }
            peak[j] = p
            for l in j..<n {
                let g = dot(s + j * stride, s + l * stride)
                nnls.gram[j * n + l] = g
                nnls.gram[l * n + j] = g
                gram[j * n + l] = g
                gram[l * n + j] = g
            }
        }
        nnls.prepare()
        support[0] = 0
    }

    /// Fits frame t; returns its squared error and leaves the amplitudes in `best`.
    @inline(__always)
    private func fitFrame(_ t: Int) -> Double {
        let n = carriers
        let b = bRows + t * stride
        var rmax = 0.0
        for j in 0..<n {
            r0[j] = dot(s + j * stride, b)
            rmax = max(rmax, abs(r0[j]))
            best[j] = 0
        }
        var bestError = energy[t]                           // a = 0
        let threshold = 1e-13 * rmax
        for pass in 0..<(settings.negativeStart ? 2 : 1) {
            let start = pass == 0 ? 1.0 : -1.0
            // a start whose r has no positive entry fits a = 0: nothing to gain
            var useful = false
            for j in 0..<n where start * r0[j] > threshold { useful = true }
            if !useful { continue }
            for j in 0..<n { r[j] = start * r0[j] }
            fill(sg, start)
            support[0] = nnls.solve(r, a, hint: support[0])
            var refits = 0
            var e: Double
            while true {
                let changed = signPass(b)
                e = error(energy: energy[t])
                if !changed || refits == settings.signRefits { break }
                support[0] = nnls.solve(r, a, hint: support[0])
                refits += 1
            }
            if e < bestError {
                bestError = e
                for j in 0..<n { best[j] = a[j] }
            }
        }
        return bestError
    }

    /// One pass over the harmonics for the current a: m = Σ_j a_j s_j and its signs
    /// σ' = (m < −τ ? −1 : +1), τ = 1e-12·Σ_j a_j‖s_j‖∞ (a harmonic the model does not reach is
    /// +1). Where σ' ≠ σ: σ ← σ' and r ← r + S Δ, Δ_k = (σ'_k − σ_k) b_k, so that afterwards
    /// r = S(σ∘b) for the signs of the current a. Returns whether any σ_k b_k changed.
    @inline(__always)
    private func signPass(_ b: UnsafePointer<Double>) -> Bool {
        let n = carriers
        var scale = 0.0
        for j in 0..<n { scale += a[j] * peak[j] }
        let tau = Vec(repeating: -1e-12 * scale)
        let one = Vec(repeating: 1), minusOne = Vec(repeating: -1), zero = Vec(repeating: 0)
        var flipped = false
        var i = 0
        while i < stride {
            var m = zero
            for j in 0..<n { m.addProduct(Vec(repeating: a[j]), load(s + j * stride, i)) }
            let new = one.replacing(with: minusOne, where: m .< tau)
            let old = load(sg, i)
            let delta = (new - old) * load(b, i)
            if any(delta .!= zero) {
                if !flipped {
                    for j in 0..<n { store(zero, acc, j * simdWidth) }
                    flipped = true
                }
                for j in 0..<n {
                    var v = load(acc, j * simdWidth)
                    v.addProduct(delta, load(s + j * stride, i))
                    store(v, acc, j * simdWidth)
                }
                store(new, sg, i)
            }
            i += simdWidth
        }
        if flipped {
            for j in 0..<n { r[j] += load(acc, j * simdWidth).sum() }
        }
        return flipped
    }

    /// Σ_k (b_k − |m_k|)² = ‖b‖² + aᵀG a − 2 aᵀ r for the current a and r = S(sign(m)∘b);
    /// clamped at 0 against round-off.
    @inline(__always)
    private func error(energy: Double) -> Double {
        let n = carriers
        var quadratic = 0.0, linear = 0.0
        for j in 0..<n {
            let aj = a[j]
            if aj == 0 { continue }
            var g = 0.0
            for l in 0..<n { g += gram[j * n + l] * a[l] }
            quadratic += aj * g
            linear += aj * r[j]
        }
        return max(energy + quadratic - 2 * linear, 0)
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
