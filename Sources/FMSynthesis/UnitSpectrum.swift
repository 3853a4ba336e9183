/// Scratch space for unit spectra: Bessel sequences and a signed-harmonic accumulator. One per
/// thread; allocated once.
public final class SpectrumWorkspace: @unchecked Sendable {
    public let maxIndex: Double
    public let maxHarmonics: Int
    let orders: UnsafeMutableBufferPointer<Double>     // J_a(I1)
    let inner: UnsafeMutableBufferPointer<Double>      // J_b(I2) or J_b(|a|·I2)
    /// J_b(a·I2) of eight consecutive orders a, interleaved: inner8[b·8 + lane].
    let inner8: UnsafeMutableBufferPointer<Double>
    /// The components at n = −K … K before folding: line[n + K].
    let line: UnsafeMutableBufferPointer<Double>

    /// `maxIndex`: the largest modulation index (rad) the workspace must handle; `maxHarmonics`:
    /// the largest K.
    public init(maxIndex: Double, maxHarmonics: Int = 256) {
        self.maxIndex = maxIndex
        self.maxHarmonics = maxHarmonics
        orders = Self.lines(Bessel.capacity(for: maxIndex))
        // a cascade evaluates J_b(|a|·I2) for every significant order a of J_a(I1)
        let significant = Bessel.sequence(x: maxIndex, into: orders)
        inner = Self.lines(Bessel.capacity(for: Double(significant) * maxIndex))
        inner8 = Self.lines(8 * Bessel.capacity(for: Double(significant + 8) * maxIndex))
        line = Self.lines(2 * maxHarmonics + 1)
    }

    deinit {
        for buffer in [orders, inner, inner8, line] {
            buffer.baseAddress.map { UnsafeMutableRawPointer($0).deallocate() }
        }
    }

    /// Zeroed doubles in whole 64-byte cache lines, so that the workspaces of two threads never
    /// share a line.
    private static func lines(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
        let bytes = (count * 8 + 63) / 64 * 64
        let p = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64).bindMemory(to: Double.self, capacity: bytes / 8)
        p.initialize(repeating: 0, count: bytes / 8)
        return UnsafeMutableBufferPointer(start: p, count: count)
    }
}

/// The signed harmonic spectrum of one unit, without rendering (method.md, "A unit's spectrum
/// without rendering").
///
/// Jacobi–Anger, e^{iI sin φ} = Σ_n J_n(I) e^{inφ}, gives
///   parallel: y = Σ_{a,b} J_a(I1) J_b(I2)    sin((c + a·m1 + b·m2)θ)
///   cascade:  y = Σ_{a,b} J_a(I1) J_b(a·I2)  sin((c + a·m1 + b·m2)θ)
/// (in a cascade the inner modulator's sidebands modulate the carrier: e^{i a I2 sin m2θ}).
/// The components are summed at their signed frequency n on a line −K … K; then a component at
/// n < 0, sin(nθ) = −sin(|n|θ), folds onto harmonic |n| with its sign flipped, and n = 0
/// contributes nothing: s_k = line(k) − line(−k), the amplitude of sin(kθ), k = 1…K.
/// Terms with |J_a(I1)| < 1e-15 are dropped (termFloor).
public enum UnitSpectrum {
    /// Outer terms with |J_a(I1)| below this are dropped: their inner sums are at most
    /// Σ_b |J_b(x)| ≤ √(2x+1) (Cauchy–Schwarz with Σ J_b² = 1), so the spectrum changes by < 1e-13.
    public static let termFloor = 1e-15

    public static func compute(_ unit: FMUnit, harmonics K: Int,
                               into out: UnsafeMutableBufferPointer<Double>,
                               workspace ws: SpectrumWorkspace) {
        precondition(out.count >= K && K <= ws.maxHarmonics)
        precondition(unit.index1 <= ws.maxIndex && unit.index2 <= ws.maxIndex, "index beyond the workspace's range")
        let line = ws.line.baseAddress! + K                         // line[n], n = −K … K
        for n in -K...K { line[n] = 0 }
        let c = Int(unit.carrier), m1 = Int(unit.modulator1), m2 = Int(unit.modulator2)
        let na = Bessel.sequence(x: unit.index1, into: ws.orders)
        let seqA = ws.orders
        switch unit.topology {
        case .parallel:
            let nb = Bessel.sequence(x: unit.index2, into: ws.inner)
            for a in (1 - na)..<na {
                let ja = a < 0 && a & 1 != 0 ? -seqA[-a] : seqA[abs(a)]    // J_{−a} = (−1)^a J_a
                if abs(ja) < termFloor { continue }
                accumulate(base: c + a * m1, m2: m2, weight: ja, seq: ws.inner.baseAddress!, stride: 1, count: nb,
                           negativeArgument: false, K: K, line: line)
            }
        case .cascade:
            let j0 = seqA[0]
            if abs(j0) >= termFloor { add(c, j0, K: K, line: line) }          // a = 0: J_b(0) = δ_b0
            if unit.index2 < 1e-9 {
                cascadeOneByOne(unit, K: K, orders: na, line: line, workspace: ws)
            } else {
                cascade(unit, K: K, orders: na, line: line, workspace: ws)
            }
        }
        for k in 1...max(K, 1) where k <= K { out[k - 1] = line[k] - line[-k] }
    }

    /// Orders a and −a share the inner argument x = a·I2 (J_b(−x) = (−1)^b J_b(x)); the inner
    /// sequences of eight consecutive a come from one vector recurrence (I2 ≥ 1e-9).
    static func cascade(_ unit: FMUnit, K: Int, orders na: Int, line: UnsafeMutablePointer<Double>,
                        workspace ws: SpectrumWorkspace) {
        let c = Int(unit.carrier), m1 = Int(unit.modulator1), m2 = Int(unit.modulator2)
        let seqA = ws.orders
        let inner = UnsafeMutableRawPointer(ws.inner8.baseAddress!).assumingMemoryBound(to: SIMD8<Double>.self)
        let lanes = SIMD8<Double>(0, 1, 2, 3, 4, 5, 6, 7)
        var a0 = 1
        while a0 < na {
            let last = min(a0 + 7, na - 1)
            let m = Bessel.startOrder(Double(last) * unit.index2)
            // skip the recurrence when no b can land inside the band for any a of the group
            var any = false
            for a in a0...last where abs(seqA[a]) >= termFloor {
                if reaches(c + a * m1, m2: m2, reach: m, K: K) || reaches(c - a * m1, m2: m2, reach: m, K: K) { any = true }
            }
            if any {
                let x = (Double(a0) + lanes).replacing(with: Double(last), where: lanes .> Double(last - a0)) * unit.index2
                let scale = Bessel.unnormalised(x: x, startOrder: m, into: inner)
                for a in a0...last {
                    let ja = seqA[a]
                    if abs(ja) < termFloor { continue }
                    let jMinus = a & 1 != 0 ? -ja : ja                       // J_{−a} = (−1)^a J_a
                    let lane = a - a0
                    let seq = ws.inner8.baseAddress! + lane
                    accumulate(base: c + a * m1, m2: m2, weight: ja * scale[lane], seq: seq, stride: 8, count: m + 1,
                               negativeArgument: false, K: K, line: line)
                    accumulate(base: c - a * m1, m2: m2, weight: jMinus * scale[lane], seq: seq, stride: 8, count: m + 1,
                               negativeArgument: true, K: K, line: line)
                }
            }
            a0 += 8
        }
    }

    /// The cascade with one inner recurrence per order a (I2 < 1e-9, where the arguments a·I2
    /// can be too small for the vector recurrence's shared start).
    static func cascadeOneByOne(_ unit: FMUnit, K: Int, orders na: Int, line: UnsafeMutablePointer<Double>,
                                workspace ws: SpectrumWorkspace) {
        let c = Int(unit.carrier), m1 = Int(unit.modulator1), m2 = Int(unit.modulator2)
        let seqA = ws.orders
        for a in 1..<max(na, 1) {
            let ja = seqA[a]
            if abs(ja) < termFloor { continue }
            let jMinus = a & 1 != 0 ? -ja : ja
            if unit.index2 == 0 {
                add(c + a * m1, ja, K: K, line: line)
                add(c - a * m1, jMinus, K: K, line: line)
                continue
            }
            let (nb, scale) = Bessel.unnormalised(x: Double(a) * unit.index2, into: ws.inner)
            accumulate(base: c + a * m1, m2: m2, weight: ja * scale, seq: ws.inner.baseAddress!, stride: 1, count: nb,
                       negativeArgument: false, K: K, line: line)
            accumulate(base: c - a * m1, m2: m2, weight: jMinus * scale, seq: ws.inner.baseAddress!, stride: 1, count: nb,
                       negativeArgument: true, K: K, line: line)
        }
    }

    /// Whether some n = base + b·m2 with |b| ≤ reach lies in −K … K.
    @inline(__always)
    static func reaches(_ base: Int, m2: Int, reach: Int, K: Int) -> Bool {
        max(ceilDiv(-K - base, m2), -reach) <= min(floorDiv(K - base, m2), reach)
    }

    /// line[n] += weight · J_b(±x) for n = base + b·m2 in −K … K, |b| < count, with
    /// J_|b|(x) = seq[|b|·stride]. J_{−b}(x) = (−1)^b J_b(x) and J_b(−x) = (−1)^b J_b(x): odd
    /// orders change sign for b < 0 or for a negative argument, not both.
    @inline(__always)
    static func accumulate(base: Int, m2: Int, weight: Double, seq: UnsafeMutablePointer<Double>, stride: Int,
                           count: Int, negativeArgument: Bool, K: Int, line: UnsafeMutablePointer<Double>) {
        let lo = max(ceilDiv(-K - base, m2), 1 - count)
        let hi = min(floorDiv(K - base, m2), count - 1)
        if lo > hi { return }
        let flipped = -weight
        // b = 0 … hi, upwards from n = base
        if hi >= 0 {
            let odd = negativeArgument ? flipped : weight
            var n = base + max(lo, 0) &* m2
            for b in max(lo, 0)...hi {
                line[n] += (b & 1 == 0 ? weight : odd) * seq[b &* stride]
                n &+= m2
            }
        }
        // b = −1 … lo, downwards from n = base − m2
        if lo < 0 {
            let odd = negativeArgument ? weight : flipped
            var n = base - max(-hi, 1) &* m2
            for b in max(-hi, 1)...(-lo) {
                line[n] += (b & 1 == 0 ? weight : odd) * seq[b &* stride]
                n &-= m2
            }
        }
    }

    /// line[n] += coefficient when n lies in −K … K.
    @inline(__always)
    static func add(_ n: Int, _ coefficient: Double, K: Int, line: UnsafeMutablePointer<Double>) {
        if abs(n) <= K { line[n] += coefficient }
    }

    /// Allocating convenience: s_1 … s_K.
    public static func spectrum(_ unit: FMUnit, harmonics K: Int) -> [Double] {
        let ws = SpectrumWorkspace(maxIndex: max(unit.index1, unit.index2, 1), maxHarmonics: max(K, 1))
        var s = [Double](repeating: 0, count: K)
        s.withUnsafeMutableBufferPointer { compute(unit, harmonics: K, into: $0, workspace: ws) }
        return s
    }
}

@inline(__always) func floorDiv(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

@inline(__always) func ceilDiv(_ a: Int, _ b: Int) -> Int { -floorDiv(-a, b) }
