import FMSynthesis

/// Horner's relative spectral error of one genome against a target (method.md, "Fitness"):
///   err = (1/T) Σ_t sqrt( Σ_k (b_k(t) − |Σ_j a_j(t) s_jk|)² / Σ_k b_k(t)² ),
/// with the unit amplitudes a(t) ≥ 0 fitted to every frame.
///
/// The fit of a frame: the units are sine-phase with signed spectra s_j, so the model's
/// amplitude at harmonic k is |m_k|, m = Σ_j a_j s_j. A *start* is a sign pattern σ; from it,
/// a = NNLS(S, σ∘b), then repeatedly σ'_k = sign(m_k) and, while σ'∘b ≠ σ∘b and refits remain,
/// a = NNLS(S, σ'∘b). A harmonic the model does not reach (|m_k| ≤ 1e-12·Σ_j a_j‖s_j‖∞, zero up
/// to round-off) takes σ'_k = +1: its error is b_k² whatever the sign, and a fixed choice keeps
/// round-off from deciding the next refit. Since Σ(b − |m|)² = Σ(σ∘b − m)² for σ = sign(m),
/// and NNLS minimises the latter, no refit increases the error. A start whose r = S(σ∘b) has
/// no entry above 1e-13·max_j |r_j| would fit a = 0 and is skipped. The frame keeps the best
/// start's a (a = 0 when none beats silence; ties keep the earlier start).
///
/// The starts (FitSettings): the cold starts +b and −b (method.md), and the warm start, the
/// signs handed on by the previous frame (+1 where that frame's b_k was 0): the final signs of
/// its warm start, replaced by those of any start that fitted better. Consecutive frames of a
/// note mostly share their signs, so the warm start usually needs no refit, where the cold
/// starts need two to five sweeps. With `coldStartInterval` n ≥ 1 the frames are cut into
/// `laneCount` runs (FitnessTarget); the first frame of a run has the cold starts only, every
/// n-th frame after it the warm start then the cold ones, the others the warm start alone. (On
/// 320 genomes near the champions of the eight bundled notes, n = 12 fits within 0.07 % of cold
/// starts on every frame, n = 8 equally well, at a third of the sweeps.) With n = 0 every frame
/// has the cold starts alone.
///
/// The kernel fits the `laneCount` runs at once, one per SIMD lane, in lockstep: a lane whose
/// start has converged is masked out until the slowest lane of the step is done. A sweep over
/// the harmonics computes m and σ' and flags the harmonics where σ'∘b changed in some lane;
/// r = S(σ∘b) is then updated over those only (after a refit, about one harmonic in sixteen),
/// and the frame error needs no second sweep:
///   Σ_k (b_k − |m_k|)² = ‖b‖² + aᵀG a − 2 aᵀ r   for r = S(σ'∘b), σ' = sign(m)
/// (Σ_k b_k|m_k| = Σ_k σ'_k b_k m_k = aᵀ S(σ'∘b)), with G the exact Gram matrix. NNLS is
/// SupportNNLS with the subset inverses of G computed once per genome.
///
/// One evaluator per thread: it owns every buffer it uses and allocates nothing per call. The
/// hot loop reads the shared target through raw pointers taken at init: touching the shared
/// objects themselves would retain and release them, and their reference counts would bounce
/// between cores.
public final class FitnessEvaluator: @unchecked Sendable {
    public let target: FitnessTarget
    public let carriers: Int
    public let settings: FitSettings
    private let K: Int
    private let frames: Int
    private let runLength: Int
    private let paddedFrames: Int
    /// b (step by step, K lane vectors each), ‖b(t)‖² and the err denominators (step order) of
    /// the target.
    private let columns: UnsafePointer<Double>
    private let energy: UnsafePointer<Double>
    private let inverseDenominator: UnsafePointer<Double>
    /// Unit spectra as computed: N rows of K.
    private let rows: UnsafeMutablePointer<Double>
    /// The same, harmonic-major (K rows of N): the kernel broadcasts s_jk for all j of one k.
    private let spectrum: UnsafeMutablePointer<Double>
    /// max_k |s_jk| of each unit.
    private let peak: UnsafeMutablePointer<Double>
    /// The exact Gram matrix S Sᵀ (N×N), for the closed-form error.
    private let gram: UnsafeMutablePointer<Double>
    private let inverses: UnsafeMutablePointer<Double>
    private let inverseWork: UnsafeMutablePointer<Double>
    /// Per harmonic, one lane vector each: σ∘b of a start's current signs, and σ∘b of the kept
    /// fit (the next step's warm start).
    private let currentSigns: UnsafeMutablePointer<Lanes>
    private let keptSigns: UnsafeMutablePointer<Lanes>
    /// The harmonics whose sign changed in a sweep: bit k mod 64 of word k div 64.
    private let flipped: UnsafeMutablePointer<UInt64>
    private let workspace: SpectrumWorkspace

    /// `maxIndex`: the largest modulation index (rad) genomes may carry.
    public init(target: FitnessTarget, carriers: Int, maxIndex: Double, settings: FitSettings = .standard) {
        precondition(carriers >= 1 && carriers <= 8, "1…8 carriers")
        self.target = target
        self.carriers = carriers
        self.settings = settings
        K = target.harmonics
        frames = target.frames
        runLength = target.runLength
        paddedFrames = target.paddedFrames
        columns = UnsafePointer(target.columns.pointer)
        energy = UnsafePointer(target.energy.pointer)
        inverseDenominator = UnsafePointer(target.inverseDenominator.pointer)
        rows = scratch(carriers * K, 0.0)
        spectrum = scratch(K * carriers, 0.0)
        peak = scratch(carriers, 0.0)
        gram = scratch(carriers * carriers, 0.0)
        inverses = scratch(SubsetInverses.count(carriers), 0.0)
        inverseWork = scratch(3 * carriers * carriers, 0.0)
        currentSigns = scratch(max(K, 1), Lanes.zero)
        keptSigns = scratch(max(K, 1), Lanes.zero)
        flipped = scratch((K + 63) / 64, UInt64(0))
        workspace = SpectrumWorkspace(maxIndex: maxIndex, maxHarmonics: K)
    }

    deinit {
        rows.deallocate(); spectrum.deallocate(); peak.deallocate(); gram.deallocate()
        inverses.deallocate(); inverseWork.deallocate()
        currentSigns.deallocate(); keptSigns.deallocate(); flipped.deallocate()
    }

    /// The relative spectral error of `genome` (its `carriers` units).
    ///
    /// With a finite `bound` the evaluation stops, returning +∞, as soon as the error is certain
    /// to exceed it: every frame adds a non-negative term to the mean, so once the partial sum
    /// passes bound·T the final mean will too. A genetic algorithm that keeps the best of parents
    /// and children never needs the exact error of a child worse than its worst parent.
    public func evaluate(_ genome: UnsafeBufferPointer<FMUnit>, bound: Double = .infinity) -> Double {
        prepare(genome)
        return run(bound: bound, amplitudes: nil, errors: nil)
    }

    public func evaluate(_ genome: [FMUnit], bound: Double = .infinity) -> Double {
        genome.withUnsafeBufferPointer { evaluate($0, bound: bound) }
    }

    /// Fitted amplitudes a_j(t) of every frame of `target` (frame-major, frames × carriers) and
    /// each frame's squared error Σ_k (b − |m|)².
    public func amplitudes(_ genome: [FMUnit]) -> (amplitudes: [Double], frameErrors: [Double]) {
        var stepAmplitudes = [Double](repeating: 0, count: paddedFrames * carriers)
        var stepErrors = [Double](repeating: 0, count: paddedFrames)
        genome.withUnsafeBufferPointer { prepare($0) }
        stepAmplitudes.withUnsafeMutableBufferPointer { o in
            stepErrors.withUnsafeMutableBufferPointer { e in
                _ = run(bound: .infinity, amplitudes: o.baseAddress!, errors: e.baseAddress!)
            }
        }
        var out = [Double](repeating: 0, count: frames * carriers)
        var errors = [Double](repeating: 0, count: frames)
        for t in 0..<frames {
            let slot = FitnessTarget.slot(frame: t, runLength: runLength)
            errors[t] = stepErrors[slot]
            for j in 0..<carriers { out[t * carriers + j] = stepAmplitudes[slot * carriers + j] }
        }
        return (out, errors)
    }

    /// The unit spectra of the last prepared genome (N rows of K values).
    public func unitSpectra() -> [[Double]] {
        (0..<carriers).map { j in (0..<K).map { rows[j * K + $0] } }
    }

    // MARK: - kernel

    /// Unit spectra, Gram matrix and subset inverses of a genome.
    private func prepare(_ genome: UnsafeBufferPointer<FMUnit>) {
        precondition(genome.count == carriers)
        let n = carriers
        for j in 0..<n {
            let row = rows + j * K
            UnitSpectrum.compute(genome[j], harmonics: K, into: UnsafeMutableBufferPointer(start: row, count: K),
                                 workspace: workspace)
            var p = 0.0
            for k in 0..<K {
                spectrum[k * n + j] = row[k]
                p = max(p, abs(row[k]))
            }
            peak[j] = p
        }
        for j in 0..<n {
            for l in j..<n {
                var g = 0.0
                for k in 0..<K { g += rows[j * K + k] * rows[l * K + k] }
                gram[j * n + l] = g
                gram[l * n + j] = g
            }
        }
        SubsetInverses.compute(gram: gram, n: n, into: inverses, work: inverseWork)
    }

    private func run(bound: Double, amplitudes: UnsafeMutablePointer<Double>?, errors: UnsafeMutablePointer<Double>?) -> Double {
        switch carriers {
        case 1: run(InlineArray<1, Lanes>.self, bound, amplitudes, errors)
        case 2: run(InlineArray<2, Lanes>.self, bound, amplitudes, errors)
        case 3: run(InlineArray<3, Lanes>.self, bound, amplitudes, errors)
        case 4: run(InlineArray<4, Lanes>.self, bound, amplitudes, errors)
        case 5: run(InlineArray<5, Lanes>.self, bound, amplitudes, errors)
        case 6: run(InlineArray<6, Lanes>.self, bound, amplitudes, errors)
        case 7: run(InlineArray<7, Lanes>.self, bound, amplitudes, errors)
        default: run(InlineArray<8, Lanes>.self, bound, amplitudes, errors)
        }
    }

    /// The mean over frames of sqrt(frame error / denominator). Each step adds its lanes'
    /// terms to a per-lane sum; the lanes are added at the end (and, for the bound, after every
    /// step): the same sums in the same order whatever thread evaluates the genome. Padding
    /// lanes add 0 (their b, hence a and the error, are 0, and so is their 1/denominator).
    private func run<let N: Int>(_: InlineArray<N, Lanes>.Type, _ bound: Double,
                                 _ amplitudes: UnsafeMutablePointer<Double>?, _ errors: UnsafeMutablePointer<Double>?) -> Double {
        let limit = bound * Double(max(frames, 1))
        let interval = settings.coldStartInterval
        var sums = Lanes.zero
        var hint = 0                  // the NNLS support to try first, carried from solve to solve
        var signs = Signs(current: currentSigns, kept: keptSigns)
        for step in 0..<runLength {
            let cold = interval == 0 || step % interval == 0
            let warm = interval != 0 && step > 0
            let (e, a) = fitStep(InlineArray<N, Lanes>.self, step, warm: warm, cold: cold, &signs, &hint)
            sums += (e * loadLanes(inverseDenominator + step &* laneCount)).squareRoot()
            if let errors {
                for l in 0..<laneCount { errors[step * laneCount + l] = e[l] }
            }
            if let amplitudes {
                for l in 0..<laneCount { for j in 0..<N { amplitudes[(step * laneCount + l) * N + j] = a[j][l] } }
            }
            if bound < .infinity && sums.sum() > limit { return .infinity }
        }
        return sums.sum() / Double(max(frames, 1))
    }

    /// The fit of one step's frames: each lane's squared error and amplitudes. Leaves σ∘b of
    /// the kept fits in `signs.kept`.
    @inline(__always)
    private func fitStep<let N: Int>(_: InlineArray<N, Lanes>.Type, _ step: Int, warm: Bool, cold: Bool,
                                     _ signs: inout Signs, _ hint: inout Int) -> (Lanes, InlineArray<N, Lanes>) {
        let b = columns + step &* K &* laneCount
        let s = spectrum
        var best = Best<N>(energy: loadLanes(energy + step &* laneCount))
        // The signs handed on by the previous step, on this step's b: the warm start, which runs
        // in place in `kept` (+ everywhere when there is no warm start). r = S(σ∘b) of the warm
        // start and, for the cold starts, r0 = S b, in one pass.
        var rWarm = InlineArray<N, Lanes>(repeating: .zero), r0 = rWarm
        let kept = signs.kept
        if warm {
            for k in 0..<K {
                let bk = loadLanes(b + k &* laneCount)
                let w = bk.replacing(with: -bk, where: kept[k] .< 0)
                kept[k] = w
                let sk = s + k &* N
                for j in 0..<N { rWarm[j].addProduct(w, Lanes(repeating: sk[j])) }
                if cold { for j in 0..<N { r0[j].addProduct(bk, Lanes(repeating: sk[j])) } }
            }
            fitStart(b, rWarm, &best, &signs, inPlace: true, &hint)
        } else {
            for k in 0..<K {
                let bk = loadLanes(b + k &* laneCount)
                kept[k] = bk
                let sk = s + k &* N
                for j in 0..<N { r0[j].addProduct(bk, Lanes(repeating: sk[j])) }
            }
        }
        if cold {
            for k in 0..<K { signs.current[k] = loadLanes(b + k &* laneCount) }
            fitStart(b, r0, &best, &signs, inPlace: false, &hint)
            if settings.negativeStart {
                var r = r0
                for j in 0..<N { r[j] = -r0[j] }
                for k in 0..<K { signs.current[k] = -loadLanes(b + k &* laneCount) }
                fitStart(b, r, &best, &signs, inPlace: false, &hint)
            }
        }
        return (best.error, best.amplitudes)
    }

    /// σ∘b per harmonic, one lane vector each, of a start's current signs and of the kept fit
    /// (the next step's warm start). Two scratch buffers whose roles swap when every lane keeps
    /// the current start's fit.
    struct Signs {
        var current: UnsafeMutablePointer<Lanes>
        var kept: UnsafeMutablePointer<Lanes>
    }

    /// Flags the harmonics whose σ'∘b differs from `current` in some lane (see nextSigns): bit
    /// k mod 64 of flipped[k div 64] (flags in a register rather than a list of harmonics,
    /// whose store address would depend on the previous harmonic's flag). Returns the number
    /// of words.
    @inline(__always)
    private func flag<let N: Int>(_ b: UnsafePointer<Double>, _ a: InlineArray<N, Lanes>, _ negativeTau: Lanes,
                                  _ active: LaneMask, _ current: UnsafeMutablePointer<Lanes>) -> Int {
        var k0 = 0, word = 0
        while k0 < K {
            let end = min(k0 &+ 64, K)
            var bits: UInt64 = 0
            for k in k0..<end {
                let signed = nextSigns(k, b, a, negativeTau, active, current)
                bits |= bit(anyLane(signed .!= current[k])) &<< UInt64(k &- k0)
            }
            flipped[word] = bits
            word &+= 1
            k0 = end
        }
        return word
    }

    /// σ'∘b at harmonic k for the amplitudes a: b_k where m_k = Σ_j a_j s_jk ≥ −τ, else −b_k;
    /// lanes that are not active keep their signs (they must not flag harmonics).
    @inline(__always)
    private func nextSigns<let N: Int>(_ k: Int, _ b: UnsafePointer<Double>, _ a: InlineArray<N, Lanes>, _ negativeTau: Lanes,
                                       _ active: LaneMask, _ current: UnsafeMutablePointer<Lanes>) -> Lanes {
        let sk = spectrum + k &* N
        var m = a[0] * Lanes(repeating: sk[0])
        for j in 1..<N { m.addProduct(a[j], Lanes(repeating: sk[j])) }
        let bk = loadLanes(b + k &* laneCount)
        return bk.replacing(with: -bk, where: m .< negativeTau).replacing(with: current[k], where: .!active)
    }

    /// The best fit of a step so far, per lane.
    struct Best<let N: Int> {
        /// ‖b‖² of the lanes' frames.
        let energy: Lanes
        var error: Lanes
        var amplitudes = InlineArray<N, Lanes>(repeating: .zero)
        init(energy: Lanes) { self.energy = energy; error = energy }          // a = 0
    }

    /// One start for every lane of the step whose b is at `b`, with r = S(σ∘b). `inPlace`: σ∘b
    /// is in `signs.kept`, and the start's final signs stay there (the warm start); else σ∘b is
    /// in `signs.current`, and lanes whose fit beats `best` copy their final signs to `kept`.
    /// Lanes whose fit beats `best` replace it.
    @inline(__always)
    private func fitStart<let N: Int>(_ b: UnsafePointer<Double>, _ r: InlineArray<N, Lanes>, _ best: inout Best<N>,
                                      _ signs: inout Signs, inPlace: Bool, _ hint: inout Int) {
        let s = spectrum
        var r = r
        var rmax = Lanes.zero
        for j in 0..<N { rmax = maximum(rmax, magnitude(r[j])) }
        let threshold = 1e-13 * rmax
        var active = LaneMask(repeating: false)
        for j in 0..<N { active .|= r[j] .> threshold }
        if !anyLane(active) { return }
        let current = inPlace ? signs.kept : signs.current
        var a = SupportNNLS.solve(r, inverses: inverses, gram: gram, hint: &hint, active: active)
        var refits = 0
        while true {
            // 1. m = Σ_j a_j s_j and σ' = (m < −τ ? −1 : +1) for every harmonic; the harmonics
            //    where σ'∘b ≠ σ∘b in an active lane are flagged
            var scale = Lanes.zero
            for j in 0..<N { scale.addProduct(a[j], Lanes(repeating: peak[j])) }
            let negativeTau = -1e-12 * scale
            let word = flag(b, a, negativeTau, active, current)
            // 2. r ← r + S(σ'∘b − σ∘b) over the flagged harmonics (σ'∘b computed again, rather
            //    than stored for every harmonic): r = S(σ'∘b)
            var changed = LaneMask(repeating: false)
            for w in 0..<word {
                var bits = flipped[w]
                while bits != 0 {
                    let k = w &* 64 &+ bits.trailingZeroBitCount
                    bits &= bits &- 1
                    let signed = nextSigns(k, b, a, negativeTau, active, current)
                    let delta = signed - current[k]
                    current[k] = signed
                    changed .|= delta .!= .zero
                    let sk = s + k &* N
                    for j in 0..<N { r[j].addProduct(delta, Lanes(repeating: sk[j])) }
                }
            }
            changed .&= active
            // 3. Σ_k (b_k − |m_k|)² in closed form; lanes that are done keep the better fit
            var quadratic = Lanes.zero, linear = Lanes.zero
            for j in 0..<N {
                var g = Lanes.zero
                for l in 0..<N { g.addProduct(Lanes(repeating: gram[j &* N &+ l]), a[l]) }
                quadratic.addProduct(a[j], g)
                linear.addProduct(a[j], r[j])
            }
            let e = maximum(best.energy + quadratic - 2 * linear, .zero)
            let finished = refits == settings.signRefits ? active : active .& .!changed
            let better = finished .& (e .< best.error)
            if anyLane(better) {
                best.error.replace(with: e, where: better)
                for j in 0..<N { best.amplitudes[j].replace(with: a[j], where: better) }
                if inPlace {
                } else if allLanes(better) {
                    swap(&signs.current, &signs.kept)           // `current` is not read again
                } else {
                    for k in 0..<K { signs.kept[k] = signs.kept[k].replacing(with: current[k], where: better) }
                }
            }
            active .&= .!finished
            if !anyLane(active) { break }
            a = SupportNNLS.solve(r, inverses: inverses, gram: gram, hint: &hint, active: active)
            refits += 1
        }
    }
}
