/// A fixed-size, 64-byte aligned, zero-initialised array of Doubles that is never resized:
/// SIMD loads from it are aligned and it never reallocates in the hot path.
public final class AlignedBuffer: @unchecked Sendable {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Double>

    public init(count: Int) {
        self.count = count
        let lines = (max(count, 1) * 8 + 63) / 64            // whole cache lines: no false sharing
        let raw = UnsafeMutableRawPointer.allocate(byteCount: lines * 64, alignment: 64)
        pointer = raw.bindMemory(to: Double.self, capacity: lines * 8)
        pointer.initialize(repeating: 0, count: lines * 8)
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }

    @inline(__always) public subscript(i: Int) -> Double {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }
}

/// Per-thread scratch memory: 64-byte aligned and rounded up to whole cache lines, so that the
/// scratch of two threads never shares a cache line (false sharing would make every write on one
/// core invalidate the other's line). Never freed before the owner.
@inline(__always)
func scratch<T>(_ count: Int, _ value: T) -> UnsafeMutablePointer<T> {
    let bytes = (max(count, 1) * MemoryLayout<T>.stride + 63) / 64 * 64
    let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
    let p = raw.bindMemory(to: T.self, capacity: bytes / MemoryLayout<T>.stride)
    p.initialize(repeating: value, count: bytes / MemoryLayout<T>.stride)
    return p
}
