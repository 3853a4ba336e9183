/// A double-modulator FM unit whose frequency ratios are real numbers: the partials of a bell, a
/// cowbell or a drum are not harmonics of one fundamental (issue 14's inharmonic mode). Ratios
/// are multiples of the patch's reference frequency f0; indices in rad, as FMUnit's.
public struct RealRatioUnit: Sendable, Hashable, Codable {
    public var carrier: Double
    public var modulator1: Double
    public var modulator2: Double
    public var topology: Topology
    public var index1: Double
    public var index2: Double

    public init(carrier: Double, modulator1: Double, modulator2: Double, index1: Double, index2: Double, topology: Topology) {
        self.carrier = carrier; self.modulator1 = modulator1; self.modulator2 = modulator2
        self.index1 = index1; self.index2 = index2; self.topology = topology
    }

    /// The unit's waveform at phase θ (rad) of f0 — FMUnit.sample with real ratios.
    @inline(__always)
    public func sample(theta: Double) -> Double {
        switch topology {
        case .parallel: return sin(carrier * theta + index1 * sin(modulator1 * theta) + index2 * sin(modulator2 * theta))
        case .cascade: return sin(carrier * theta + index1 * sin(modulator1 * theta + index2 * sin(modulator2 * theta)))
        }
    }
}

extension RealRatioUnit: CustomStringConvertible {
    public var description: String {
        func r(_ x: Double, _ d: Double) -> Double { (x * d).rounded() / d }
        return "c=\(r(carrier, 1000)) m1=\(r(modulator1, 1000)) m2=\(r(modulator2, 1000)) I1=\(r(index1, 1000)) I2=\(r(index2, 1000)) \(topology)"
    }
}

/// The partials of a RealRatioUnit, without rendering: the Jacobi–Anger expansion of
/// UnitSpectrum with real ratios,
///   parallel: y = Σ_{a,b} J_a(I1) J_b(I2)    sin((c + a·m1 + b·m2)θ)
///   cascade:  y = Σ_{a,b} J_a(I1) J_b(a·I2)  sin((c + a·m1 + b·m2)θ)
/// A component at a negative frequency folds onto |f| with its sign flipped (sin(−x) = −sin x),
/// one at 0 Hz is a constant and is dropped, and components at the same frequency (to 1e-9 of f0:
/// integer ratios, or m1 = m2) add with their signs. Components with |J_a J_b| < `floor` are
/// dropped (the spectrum changes by less than that per component, as in UnitSpectrum).
public enum PartialSpectrum {
    public static let floor = 1e-15

    /// A partial: frequency in multiples of f0 (> 0) and signed amplitude of sin(ratio·θ).
    public struct Partial: Sendable, Equatable {
        public var ratio: Double
        public var amplitude: Double
    }

    /// The unit's partials below `top` (multiples of f0), lowest first.
    public static func partials(_ u: RealRatioUnit, below top: Double) -> [Partial] {
        var outer = [Double](repeating: 0, count: Bessel.capacity(for: u.index1))
        let na = outer.withUnsafeMutableBufferPointer { Bessel.sequence(x: u.index1, into: $0) }
        func j(_ seq: [Double], _ n: Int) -> Double { n < 0 && n & 1 != 0 ? -seq[-n] : seq[abs(n)] }
        var components: [Partial] = []
        func add(_ f: Double, _ amplitude: Double) {
            guard abs(amplitude) >= floor else { return }
            components.append(f < 0 ? Partial(ratio: -f, amplitude: -amplitude) : Partial(ratio: f, amplitude: amplitude))
        }
        var inner: [Double] = []
        func innerSequence(_ x: Double) -> Int {
            inner = [Double](repeating: 0, count: Bessel.capacity(for: abs(x)))
            return inner.withUnsafeMutableBufferPointer { Bessel.sequence(x: abs(x), into: $0) }
        }
        var nb = u.topology == .parallel ? innerSequence(u.index2) : 0
        for a in (1 - max(na, 1))..<max(na, 1) {
            let ja = j(outer, a)
            if abs(ja) < floor { continue }
            if u.topology == .cascade { nb = innerSequence(Double(a) * u.index2) }
            // J_b(−x) = (−1)^b J_b(x): a cascade's negative orders a modulate with −|a|·I2
            let negative = u.topology == .cascade && a < 0
            for b in (1 - max(nb, 1))..<max(nb, 1) {
                var jb = j(inner, b)
                if negative && b & 1 != 0 { jb = -jb }
                add(u.carrier + Double(a) * u.modulator1 + Double(b) * u.modulator2, ja * jb)
            }
        }
        components.sort { $0.ratio < $1.ratio }
        var merged: [Partial] = []
        for c in components {
            if let last = merged.last, c.ratio - last.ratio <= 1e-9 {
                merged[merged.count - 1].amplitude += c.amplitude
            } else {
                merged.append(c)
            }
        }
        return merged.filter { $0.ratio > 1e-9 && $0.ratio < top && abs($0.amplitude) >= floor }
    }
}
