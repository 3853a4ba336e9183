/// The fitness kernel works on several frames at once: one SIMD lane per frame (8 doubles, one
/// AVX-512 register; two AVX2 registers elsewhere). Adjacent frames of a note need the same
/// number of sign refits (on random genomes, running 8 of them in lockstep costs 1.4 % more
/// passes than running each alone), so lanes rarely idle, and nothing in the kernel is a
/// horizontal operation.
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
