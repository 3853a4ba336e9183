#if canImport(Glibc)
import Glibc
#endif

/// xoshiro256** 1.0 (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
/// ACM TOMS 47(4), 2021; reference code prng.di.unimi.it/xoshiro256starstar.c), seeded through
/// SplitMix64 as its authors recommend. The whole run draws from one instance; its 256-bit state
/// is plain data, so a checkpoint restores it exactly.
public struct Xoshiro256: RandomNumberGenerator, Sendable, Equatable, Codable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var sm = seed
        func splitmix() -> UInt64 {
            // SplitMix64 (Steele, Lea & Flood, OOPSLA 2014)
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
    }

    /// The four state words, for a checkpoint.
    public var state: [UInt64] { [s0, s1, s2, s3] }

    /// Restores a saved state (four words, not all zero).
    public init?(state: [UInt64]) {
        guard state.count == 4, state.contains(where: { $0 != 0 }) else { return nil }
        s0 = state[0]; s1 = state[1]; s2 = state[2]; s3 = state[3]
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    // Draws defined here rather than with the standard library's `random(in:using:)`, whose
    // algorithms may change between Swift releases: a seed must give the same run forever.

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [lo, hi).
    @inline(__always)
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * uniform() }

    /// Uniform integer in lo...hi (Lemire's nearly-divisionless method without the rejection
    /// step's bias: 64-bit multiply-high, bias < n/2^64).
    @inline(__always)
    public mutating func integer(_ lo: Int, _ hi: Int) -> Int {
        precondition(hi >= lo)
        let n = UInt64(hi - lo + 1)
        return lo + Int(next().multipliedFullWidth(by: n).high)
    }

    /// True with probability p.
    @inline(__always)
    public mutating func chance(_ p: Double) -> Bool { uniform() < p }

    /// Standard normal deviate (Box–Muller; one of the pair is discarded to keep the state small).
    public mutating func normal() -> Double {
        let u1 = 1 - uniform()            // (0, 1]
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Index drawn with probability proportional to `weights` (non-negative, not all zero).
    public mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var u = uniform() * total
        for (i, w) in weights.enumerated() {
            u -= w
            if u < 0 { return i }
        }
        return weights.count - 1
    }
}
