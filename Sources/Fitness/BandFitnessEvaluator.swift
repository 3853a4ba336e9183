import Analysis
import FMSynthesis

/// The inharmonic mode's fitness (issue 14): the band error of a genome of units with grid ratios
/// (RatioGrid), with each unit's amplitude fitted to every frame — BandFit's model and fit,
/// made allocation-free for the GA's hot path.
///
/// 1. Unit band powers S_jb at unit amplitude: the unit's components J_a(I1)·J_b(I2) (parallel)
///    or J_a(I1)·J_b(a·I2) (cascade) at grid frequency q = c + a·m1 + b·m2 (PartialSpectrum's
///    Jacobi–Anger expansion) are summed per q — components that coincide add in amplitude,
///    negative frequencies fold with their sign flipped, 0 Hz is dropped — and each sum A adds
///    (A²/4)|W(k − x)|² to the band of every bin k within BandModel.reach of its position x and of
///    its image −x.
/// 2. Per active frame, BandFit's weighted NNLS on powers (ActiveSetNNLS): p ≥ 0 minimising
///    Σ_b w_b (B_b² − Σ_j p_j S_jb)², w_b = 1/(4B_b² + ε).
/// 3. err = mean over frames of √(Σ_b (B_b − √(Σ_j p_j S_jb))² / floored Σ_b B_b²) — fmscore's
///    `err_bands` of the model; abandoned once the running sum exceeds bound·T.
/// The target's arrays are copied into this evaluator's own buffers at init: the hot loop touches
/// no shared object (no reference counts bouncing between cores).
public final class BandFitnessEvaluator: GenomeScorer, @unchecked Sendable {
    public let target: BandFitnessTarget
    public let carriers: Int
    private let B: Int, T: Int, bins: Int, topSlot: Int, binsPerSlot: Double
    private let amplitude: UnsafeMutablePointer<Double>, weight: UnsafeMutablePointer<Double>
    private let weightedPower: UnsafeMutablePointer<Double>, inverseDenominator: UnsafeMutablePointer<Double>
    private let bandOfBin: UnsafeMutablePointer<Int32>, windowTable: UnsafeMutablePointer<Double>
    /// Component sums by grid frequency (0 between genomes) and the frequencies touched.
    private let slots: UnsafeMutablePointer<Double>, touched: UnsafeMutablePointer<Int32>
    private let outer: UnsafeMutableBufferPointer<Double>, inner: UnsafeMutableBufferPointer<Double>
    /// S (N×B), the frame's Gram matrix, r and p.
    private let powers: UnsafeMutablePointer<Double>, gram: UnsafeMutablePointer<Double>
    private let r: UnsafeMutablePointer<Double>, p: UnsafeMutablePointer<Double>
    private let nnls: ActiveSetNNLS
    private let maxIndex: Double
    /// Moving indices (IndexDecay): the units' band powers at each knot time (knots × N × B), and
    /// each frame's time.
    private var knotPowers: [Double] = []
    private let frameTimes: [Double]
    /// The GA's decaying units (FMUnit.decay): band powers at `searchKnots` times spread over the
    /// note (knots × N × B), and each frame's knot and weight — coarser than IndexDecay's 16, so
    /// that a decaying genome costs the search about 5 static ones.
    public static let searchKnots = 5
    private let searchKnotPowers: UnsafeMutablePointer<Double>
    private let frameKnot: [Int], frameWeight: [Double]

    public init(target: BandFitnessTarget, carriers: Int, maxIndex: Double) {
        precondition(carriers >= 1 && carriers <= 8)
        self.target = target
        self.carriers = carriers
        self.maxIndex = maxIndex
        B = target.bandCount; T = target.frames; bins = target.binCount
        topSlot = target.topSlot; binsPerSlot = target.binsPerSlot
        func copy<E>(_ a: [E]) -> UnsafeMutablePointer<E> {
            let p = UnsafeMutablePointer<E>.allocate(capacity: max(a.count, 1))
            _ = a.withUnsafeBufferPointer { UnsafeMutableBufferPointer(start: p, count: a.count).initialize(fromContentsOf: $0) }
            return p
        }
        amplitude = copy(target.amplitude); weight = copy(target.weight)
        weightedPower = copy(target.weightedPower); inverseDenominator = copy(target.inverseDenominator)
        bandOfBin = copy(target.bandOfBin); windowTable = copy(target.windowTable)
        slots = .allocate(capacity: topSlot + 1)
        slots.initialize(repeating: 0, count: topSlot + 1)
        touched = .allocate(capacity: topSlot + 1)
        let outerCapacity = Bessel.capacity(for: maxIndex)
        outer = .allocate(capacity: outerCapacity)
        inner = .allocate(capacity: Bessel.capacity(for: Double(outerCapacity) * maxIndex))
        powers = .allocate(capacity: carriers * B)
        gram = .allocate(capacity: carriers * carriers)
        r = .allocate(capacity: carriers); p = .allocate(capacity: carriers)
        nnls = ActiveSetNNLS(n: carriers)
        frameTimes = target.frameTimes
        searchKnotPowers = .allocate(capacity: Self.searchKnots * carriers * B)
        let K = Self.searchKnots, duration = max(target.duration, 1e-9)
        frameKnot = frameTimes.map { min(Int(min(max($0 / duration, 0), 1) * Double(K - 1)), K - 2) }
        frameWeight = zip(frameTimes, frameKnot).map { min(max($0.0 / duration, 0), 1) * Double(K - 1) - Double($0.1) }
    }

    deinit {
        for q in [amplitude, weight, weightedPower, inverseDenominator, windowTable, slots, powers, gram, r, p] { q.deallocate() }
        bandOfBin.deallocate(); touched.deallocate(); outer.deallocate(); inner.deallocate(); searchKnotPowers.deallocate()
        nnls.deallocate()
    }

    public func evaluate(_ genome: UnsafeBufferPointer<FMUnit>, bound: Double = .infinity) -> Double {
        precondition(genome.count == carriers)
        if genome.contains(where: { $0.decay != 0 }) {
            searchKnotsPowers(genome)
            return fitFrames(bound: bound, amplitudes: nil, decay: nil, searchKnots: true)
        }
        for j in 0..<carriers { unitPowers(genome[j], into: powers + j * B) }
        return fitFrames(bound: bound, amplitudes: nil, decay: nil)
    }

    /// Each unit's band powers at the search's knots (a static unit's once, copied).
    private func searchKnotsPowers(_ genome: UnsafeBufferPointer<FMUnit>) {
        let K = Self.searchKnots, NB = carriers * B
        for j in 0..<carriers {
            let u = genome[j]
            for k in 0..<K {
                let out = searchKnotPowers + k * NB + j * B
                if u.decay == 0 && k > 0 {
                    (out).update(from: searchKnotPowers + j * B, count: B)
                    continue
                }
                var v = u
                let s = pow(u.endRatio, Double(k) / Double(K - 1))
                v.index1 *= s; v.index2 *= s
                unitPowers(v, into: out)
            }
        }
    }

    /// The genome's err and each frame's unit amplitudes a_j = √p_j (frames × N, frame-major).
    public func amplitudes(_ genome: [FMUnit]) -> (err: Double, amplitudes: [Double]) {
        let decaying = genome.contains { $0.decay != 0 }
        if decaying { genome.withUnsafeBufferPointer { searchKnotsPowers($0) } }
        else { for j in 0..<carriers { unitPowers(genome[j], into: powers + j * B) } }
        var a = [Double](repeating: 0, count: T * carriers)
        let err = a.withUnsafeMutableBufferPointer {
            fitFrames(bound: .infinity, amplitudes: $0.baseAddress, decay: nil, searchKnots: decaying)
        }
        return (err, a)
    }

    /// The genome with its indices decaying as `decay` says (IndexDecay): its err and each
    /// frame's unit amplitudes. Each unit's band powers are computed at IndexDecay.knots times and
    /// interpolated linearly between them for every frame (outside the parallel GA: it allocates).
    public func amplitudes(_ genome: [FMUnit], decay: IndexDecay) -> (err: Double, amplitudes: [Double]) {
        let K = decay.knotTimes.count
        knotPowers = [Double](repeating: 0, count: K * carriers * B)
        knotPowers.withUnsafeMutableBufferPointer { kp in
            for k in 0..<K {
                for j in 0..<carriers {
                    unitPowers(decay.unit(genome[j], j, at: decay.knotTimes[k]), into: kp.baseAddress! + (k * carriers + j) * B)
                }
            }
        }
        var a = [Double](repeating: 0, count: T * carriers)
        let err = a.withUnsafeMutableBufferPointer { fitFrames(bound: .infinity, amplitudes: $0.baseAddress, decay: decay) }
        return (err, a)
    }

    /// Unit j's band powers at unit amplitude (B values), for tests and tools.
    public func bandPowers(_ unit: FMUnit) -> [Double] {
        var out = [Double](repeating: 0, count: B)
        out.withUnsafeMutableBufferPointer { unitPowers(unit, into: $0.baseAddress!) }
        return out
    }

    // MARK: step 1

    private func unitPowers(_ u: FMUnit, into S: UnsafeMutablePointer<Double>) {
        for k in 0..<B { S[k] = 0 }
        let count = sumComponents(u)
        for i in 0..<count {
            let q = Int(touched[i]), A = slots[q]
            slots[q] = 0
            if abs(A) < PartialSpectrum.floor { continue }
            let x = Double(q) * binsPerSlot, power = 0.25 * A * A
            addWindow(centre: x, power: power, S)
            if x < Double(BandModel.reach + 1) { addWindow(centre: -x, power: power, S) }
        }
    }

    /// Sums the unit's components into `slots`; returns how many frequencies it touched.
    private func sumComponents(_ u: FMUnit) -> Int {
        let i1 = min(abs(u.index1), maxIndex), i2 = min(abs(u.index2), maxIndex)
        let na = max(Bessel.sequence(x: i1, into: outer), 1)
        var nb = u.topology == .parallel ? max(Bessel.sequence(x: i2, into: inner), 1) : 1
        let c = Int(u.carrier), m1 = Int(u.modulator1), m2 = Int(u.modulator2)
        var count = 0
        for a in (1 - na)..<na {
            let ja = (a < 0 && a & 1 != 0) ? -outer[-a] : outer[abs(a)]
            if abs(ja) < PartialSpectrum.floor { continue }
            if u.topology == .cascade { nb = max(Bessel.sequence(x: Double(abs(a)) * i2, into: inner), 1) }
            // J_b(−x) = (−1)^b J_b(x): a cascade's negative orders a modulate with −|a|·I2
            let flipOdd = u.topology == .cascade && a < 0
            let base = c + a * m1
            for b in (1 - nb)..<nb {
                var jb = (b < 0 && b & 1 != 0) ? -inner[-b] : inner[abs(b)]
                if flipOdd && b & 1 != 0 { jb = -jb }
                var amp = ja * jb
                if abs(amp) < PartialSpectrum.floor { continue }
                var q = base + b * m2
                if q < 0 { q = -q; amp = -amp }
                if q == 0 || q > topSlot { continue }
                if slots[q] == 0 { touched[count] = Int32(q); count += 1 }
                slots[q] += amp
            }
        }
        return count
    }

    @inline(__always)
    private func addWindow(centre x: Double, power: Double, _ S: UnsafeMutablePointer<Double>) {
        let lo = max(0, Int(x.rounded(.down)) - BandModel.reach), hi = min(bins - 1, Int(x.rounded(.up)) + BandModel.reach)
        if lo > hi { return }
        let R = Double(BandFitnessTarget.tableResolution)
        for k in lo...hi {
            let band = Int(bandOfBin[k])
            if band < 0 { continue }
            let d = abs(Double(k) - x) * R
            let i = Int(d), f = d - Double(i)
            S[band] += power * (windowTable[i] + f * (windowTable[i + 1] - windowTable[i]))
        }
    }

    // MARK: steps 2 and 3

    private func fitFrames(bound: Double, amplitudes out: UnsafeMutablePointer<Double>?, decay: IndexDecay?,
                           searchKnots: Bool = false) -> Double {
        let N = carriers, S = powers
        let limit = bound.isFinite ? bound * Double(T) : .infinity
        var sum = 0.0
        for t in 0..<T {
            if let decay { interpolateKnots(decay, time: frameTimes[t]) }
            if searchKnots {
                let NB = N * B, w = frameWeight[t]
                let lo = searchKnotPowers + frameKnot[t] * NB, hi = lo + NB
                for i in 0..<NB { powers[i] = (1 - w) * lo[i] + w * hi[i] }
            }
            let w = weight + t * B, wp = weightedPower + t * B, b = amplitude + t * B
            for j in 0..<N {
                let sj = S + j * B
                var rj = 0.0
                for k in 0..<B { rj += wp[k] * sj[k] }
                r[j] = rj
                for l in j..<N {
                    let sl = S + l * B
                    var g = 0.0
                    for k in 0..<B { g += w[k] * sj[k] * sl[k] }
                    gram[j * N + l] = g; gram[l * N + j] = g
                }
            }
            nnls.solve(gram: gram, r: r, into: p)
            var num = 0.0
            for k in 0..<B {
                var m = 0.0
                for j in 0..<N { m += p[j] * S[j * B + k] }
                let d = b[k] - max(m, 0).squareRoot()
                num += d * d
            }
            sum += (num * inverseDenominator[t]).squareRoot()
            if let out { for j in 0..<N { out[t * N + j] = max(p[j], 0).squareRoot() } }
            if sum > limit { return .infinity }
        }
        return T > 0 ? sum / Double(T) : 0
    }

    /// S = the knots' band powers interpolated linearly at `time`.
    private func interpolateKnots(_ decay: IndexDecay, time: Double) {
        let (k, w) = decay.bracket(time)
        let NB = carriers * B
        knotPowers.withUnsafeBufferPointer { kp in
            let lo = kp.baseAddress! + k * NB, hi = kp.baseAddress! + min(k + 1, decay.knotTimes.count - 1) * NB
            for i in 0..<NB { powers[i] = (1 - w) * lo[i] + w * hi[i] }
        }
    }
}
