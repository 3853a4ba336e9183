/// The fitness kernel works on several frames at once: one SIMD lane per frame (8 doubles, one
/// AVX-512 register; two AVX2 registers elsewhere), each lane working through its own run of
/// the note's frames (FitnessTarget). Warm-started frames mostly need a single sweep, so lanes
/// rarely idle (1.5 sweeps per step on random genomes), and nothing in the sweep is a
/// horizontal operation. 8 lanes measured 10 % faster than 4 on an AMD EPYC (Zen 4); 16 were
/// hardly faster and would cut the note into more cold-started runs.
public typealias Lanes = SIMD8<Double>
public typealias LaneMask = SIMDMask<SIMD8<Int64>>

/// Frames per lane vector.
public let laneCount = 8

@inline(__always) func loadLanes(_ p: UnsafePointer<Double>) -> Lanes {
    UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
}

/// Whether any / every lane of a mask is set (the standard library's any/all go through an
/// out-of-line generic reduction).
@inline(__always) func anyLane(_ m: LaneMask) -> Bool {
    let lanes = m._storage                 // −1 where set, 0 elsewhere: an OR-reduction (kortest)
    var x: Int64 = 0
    for l in 0..<laneCount { x |= lanes[l] }
    return x != 0
}

@inline(__always) func allLanes(_ m: LaneMask) -> Bool { !anyLane(.!m) }

/// Lane-wise max(x, y) and |x| (the standard library's generic pointwiseMax is an out-of-line call).
@inline(__always) func maximum(_ x: Lanes, _ y: Lanes) -> Lanes { x.replacing(with: y, where: y .> x) }
@inline(__always) func magnitude(_ x: Lanes) -> Lanes { x.replacing(with: -x, where: x .< 0) }

/// 1 for true, 0 for false, without a branch (a Bool is one byte holding 0 or 1).
@inline(__always) func bit(_ b: Bool) -> UInt64 { UInt64(unsafeBitCast(b, to: UInt8.self)) }
