import CFFTW3
#if canImport(Glibc)
import Glibc
#endif

/// FFTW's planner is not thread-safe (fftw3 manual, "Thread safety"): every plan is created
/// and destroyed under this lock. Executing a plan is thread-safe.
private final class PlannerLock: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}
private let plannerLock = PlannerLock()

/// A forward real-to-complex DFT of a fixed size, planned once and executed many times.
///
/// `X[k] = Σ_{n<N} x[n] e^{-2πi kn/N}` for k = 0…N/2 (FFTW's unnormalised convention).
/// Plans are made with `FFTW_ESTIMATE`, which never times candidate algorithms, so the same
/// input gives the same output bits in every run (FFTW_MEASURE may pick another algorithm).
/// One instance owns its buffers: use one per thread.
public final class RealFFT: @unchecked Sendable {
    public let size: Int
    /// The time-domain input, `size` values; fill it, then call `transform()`.
    public let input: UnsafeMutableBufferPointer<Double>
    private let output: UnsafeMutablePointer<fftw_complex>
    private let plan: fftw_plan

    public var binCount: Int { size / 2 + 1 }

    public init(size: Int) {
        precondition(size >= 2, "FFT size must be at least 2")
        self.size = size
        let inPtr = fftw_alloc_real(size)!
        let outPtr = fftw_alloc_complex(size / 2 + 1)!
        input = UnsafeMutableBufferPointer(start: inPtr, count: size)
        input.initialize(repeating: 0)
        output = outPtr
        plan = plannerLock.locked {
            fftw_plan_dft_r2c_1d(Int32(size), inPtr, outPtr, UInt32(FFTW_ESTIMATE))!
        }
    }

    deinit {
        plannerLock.locked { fftw_destroy_plan(plan) }
        fftw_free(input.baseAddress)
        fftw_free(output)
    }

    /// Transforms `input` in place of the previous output.
    public func transform() {
        fftw_execute(plan)
    }

    /// Real and imaginary part of bin k (0 ≤ k ≤ size/2) of the last transform.
    @inline(__always)
    public func bin(_ k: Int) -> (re: Double, im: Double) {
        let c = output[k]
        return (c.0, c.1)
    }

    /// |X[k]| of the last transform for every bin, written into `magnitudes` (count ≥ binCount).
    public func magnitudes(into magnitudes: UnsafeMutableBufferPointer<Double>, scale: Double = 1) {
        precondition(magnitudes.count >= binCount)
        for k in 0..<binCount {
            let c = output[k]
            magnitudes[k] = (c.0 * c.0 + c.1 * c.1).squareRoot() * scale
        }
    }

    /// Convenience: copies `samples` (zero-padded or truncated to `size`) into the input
    /// and transforms.
    public func transform(_ samples: UnsafeBufferPointer<Double>) {
        let n = min(samples.count, size)
        for i in 0..<n { input[i] = samples[i] }
        for i in n..<size { input[i] = 0 }
        fftw_execute(plan)
    }

    /// Smallest power of two ≥ n.
    public static func nextPowerOfTwo(_ n: Int) -> Int {
        var p = 1
        while p < n { p <<= 1 }
        return p
    }
}
