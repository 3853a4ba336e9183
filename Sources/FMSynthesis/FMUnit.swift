#if canImport(Glibc)
import Glibc
#endif

/// How a unit's two modulators reach its carrier.
public enum Topology: UInt8, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// y = sin(cθ + I1 sin(m1θ) + I2 sin(m2θ))
    case parallel = 0
    /// y = sin(cθ + I1 sin(m1θ + I2 sin(m2θ)))   (modulator 2 → modulator 1 → carrier)
    case cascade = 1

    public var description: String { self == .parallel ? "parallel" : "cascade" }
}

/// One double-modulator FM unit (method.md, "A genome"): a carrier at c·f0 with two
/// modulators at m1·f0 and m2·f0, fixed indices I1, I2 in radians, θ = 2π f0 t.
/// All ratios are positive integers, so every partial is a harmonic of f0.
public struct FMUnit: Sendable, Hashable, Codable {
    public var carrier: Int32
    public var modulator1: Int32
    public var modulator2: Int32
    public var topology: Topology
    /// The inharmonic mode's index decay (IndexDecay): level L makes both indices fall to
    /// `endRatio` = 0.01^(L/255) of their start by the note's end (steps of 1.8 %); 0: static
    /// indices (always, in the harmonic mode). Kept in the struct's padding: a unit stays 32 bytes.
    public var decay: UInt8
    /// Modulation index of modulator 1 (rad).
    public var index1: Double
    /// Modulation index of modulator 2 (rad).
    public var index2: Double

    public init(carrier: Int, modulator1: Int, modulator2: Int, index1: Double, index2: Double,
                topology: Topology, decay: UInt8 = 0) {
        self.carrier = Int32(carrier)
        self.modulator1 = Int32(modulator1)
        self.modulator2 = Int32(modulator2)
        self.topology = topology
        self.decay = decay
        self.index1 = index1
        self.index2 = index2
    }

    /// The end index over the start index of a decay level: 0.01^(L/255).
    public static func endRatio(decay level: UInt8) -> Double { level == 0 ? 1 : pow(0.01, Double(level) / 255) }

    public var endRatio: Double { Self.endRatio(decay: decay) }

    /// The unit's waveform at phase θ (rad) of the fundamental.
    @inline(__always)
    public func sample(theta: Double) -> Double {
        let c = Double(carrier), m1 = Double(modulator1), m2 = Double(modulator2)
        switch topology {
        case .parallel: return sin(c * theta + index1 * sin(m1 * theta) + index2 * sin(m2 * theta))
        case .cascade: return sin(c * theta + index1 * sin(m1 * theta + index2 * sin(m2 * theta)))
        }
    }
}

extension FMUnit: CustomStringConvertible {
    public var description: String {
        let i1 = (index1 * 1000).rounded() / 1000, i2 = (index2 * 1000).rounded() / 1000
        return "c=\(carrier) m1=\(modulator1) m2=\(modulator2) I1=\(i1) I2=\(i2) \(topology)" + (decay == 0 ? "" : " decay \(decay)")
    }
}
