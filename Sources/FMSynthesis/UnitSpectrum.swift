/// Scratch space for unit spectra: two Bessel sequences. One per thread; allocated once.
public final class SpectrumWorkspace: @unchecked Sendable {
    public let maxIndex: Double
    let orders: UnsafeMutableBufferPointer<Double>     // J_a(I1)
    let inner: UnsafeMutableBufferPointer<Double>      // J_b(I2) or J_b(|a|·I2)

    /// `maxIndex`: the largest modulation index (rad) the workspace must handle.
    public init(maxIndex: Double) {
        self.maxIndex = maxIndex
        orders = Self.lines(Bessel.capacity(for: maxIndex))
        // a cascade evaluates J_b(|a|·I2) for every significant order a of J_a(I1)
        let significant = Bessel.sequence(x: maxIndex, into: orders)
        inner = Self.lines(Bessel.capacity(for: Double(significant) * maxIndex))
    }

    deinit {
        orders.baseAddress.map { UnsafeMutableRawPointer($0).deallocate() }
        inner.baseAddress.map { UnsafeMutableRawPointer($0).deallocate() }
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
/// A component at n < 0 is sin(nθ) = −sin(|n|θ) and folds onto harmonic |n| with its sign
/// flipped; n = 0 contributes nothing. s_k, k = 1…K, is the amplitude of sin(kθ).
/// Terms with |J_a(I1)| < 1e-15 are dropped (termFloor).
public enum UnitSpectrum {
    /// Outer terms with |J_a(I1)| below this are dropped: their inner sums are at most
    /// Σ_b |J_b(x)| ≤ √(2x+1) (Cauchy–Schwarz with Σ J_b² = 1), so the spectrum changes by < 1e-13.
    public static let termFloor = 1e-15

    public static func compute(_ unit: FMUnit, harmonics K: Int,
                               into out: UnsafeMutableBufferPointer<Double>,
                               workspace ws: SpectrumWorkspace) {
        precondition(out.count >= K)
        precondition(unit.index1 <= ws.maxIndex && unit.index2 <= ws.maxIndex, "index beyond the workspace's range")
        for k in 0..<K { out[k] = 0 }
        let c = Int(unit.carrier), m1 = Int(unit.modulator1), m2 = Int(unit.modulator2)
        let na = Bessel.sequence(x: unit.index1, into: ws.orders)
        let seqA = ws.orders
        switch unit.topology {
        case .parallel:
            let nb = Bessel.sequence(x: unit.index2, into: ws.inner)
            for a in (1 - na)..<na {
                let ja = signedOrder(seqA, a)
                if abs(ja) < termFloor { continue }
                accumulate(base: c + a * m1, m2: m2, weight: ja, seq: ws.inner, count: nb,
                           negativeArgument: false, K: K, out: out)
            }
        case .cascade:
            for a in (1 - na)..<na {
                let ja = signedOrder(seqA, a)
                if abs(ja) < termFloor { continue }
                let base = c + a * m1
                if a == 0 || unit.index2 == 0 {             // J_b(0) = δ_b0
                    fold(base, ja, K: K, out: out)
                    continue
                }
                let x = Double(abs(a)) * unit.index2
                // skip the recurrence when no b can land inside the band
                let reach = Bessel.startOrder(x)
                let lo = max(ceilDiv(-K - base, m2), -reach), hi = min(floorDiv(K - base, m2), reach)
                if lo > hi { continue }
                let nb = Bessel.sequence(x: x, into: ws.inner)
                accumulate(base: base, m2: m2, weight: ja, seq: ws.inner, count: nb,
                           negativeArgument: a < 0, K: K, out: out)
            }
        }
    }

    /// J_a from a sequence of non-negative orders: J_{−a} = (−1)^a J_a.
    @inline(__always)
    static func signedOrder(_ seq: UnsafeMutableBufferPointer<Double>, _ a: Int) -> Double {
        let v = seq[abs(a)]
        return (a < 0 && a & 1 != 0) ? -v : v
    }

    /// out[|n|] ±= weight · J_b(±x) for n = base + b·m2 inside the band, |b| < count.
    @inline(__always)
    static func accumulate(base: Int, m2: Int, weight: Double, seq: UnsafeMutableBufferPointer<Double>,
                           count: Int, negativeArgument: Bool, K: Int,
                           out: UnsafeMutableBufferPointer<Double>) {
        let lo = max(ceilDiv(-K - base, m2), 1 - count)
        let hi = min(floorDiv(K - base, m2), count - 1)
        if lo > hi { return }
        for b in lo...hi {
            var v = seq[abs(b)]
            // J_{−b}(x) = (−1)^b J_b(x); J_b(−x) = (−1)^b J_b(x)
            if (b < 0) != negativeArgument && b & 1 != 0 { v = -v }
            fold(base + b * m2, weight * v, K: K, out: out)
        }
    }

    @inline(__always)
    static func fold(_ n: Int, _ coefficient: Double, K: Int, out: UnsafeMutableBufferPointer<Double>) {
        if n > 0 {
            if n <= K { out[n - 1] += coefficient }
        } else if n < 0 {
            if -n <= K { out[-n - 1] -= coefficient }
        }
    }

    /// Allocating convenience: s_1 … s_K.
    public static func spectrum(_ unit: FMUnit, harmonics K: Int) -> [Double] {
        let ws = SpectrumWorkspace(maxIndex: max(unit.index1, unit.index2, 1))
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
