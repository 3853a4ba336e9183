#if FMEVOLVE_MPI
import CMPI
#endif
import Foundation

/// The few collectives the islands need, over Open MPI's MPI_COMM_WORLD, on raw bytes: every
/// rank calls the same collectives in the same order. Built with the package trait `MPI`
/// (`swift build --traits MPI`); without it, `start()` reports that this build has no MPI.
public final class Communicator: @unchecked Sendable {
    public let rank: Int
    public let size: Int

    /// Whether this build can run under mpirun.
    public static var isAvailable: Bool {
        #if FMEVOLVE_MPI
        return true
        #else
        return false
        #endif
    }

    /// Whether mpirun (or another MPI launcher) started this process.
    public static var launchedByMPI: Bool {
        let env = ProcessInfo.processInfo.environment
        return env["OMPI_COMM_WORLD_SIZE"] != nil || env["PMIX_RANK"] != nil || env["PMI_RANK"] != nil
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private init(rank: Int, size: Int) { self.rank = rank; self.size = size }

    /// MPI_Init and the world's rank and size.
    public static func start() throws -> Communicator {
        #if FMEVOLVE_MPI
        guard MPI_Init(nil, nil) == fmevolve_mpi_success() else { throw Failure(description: "MPI_Init failed") }
        var rank: Int32 = 0, size: Int32 = 0
        MPI_Comm_rank(fmevolve_mpi_comm_world(), &rank)
        MPI_Comm_size(fmevolve_mpi_comm_world(), &size)
        return Communicator(rank: Int(rank), size: Int(size))
        #else
        throw Failure(description: "this fmevolve was built without MPI (build it with: swift build -c release --traits MPI)")
        #endif
    }

    /// Every rank's bytes, in rank order, on every rank (MPI_Allgather of the lengths, then
    /// MPI_Allgatherv).
    public func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] {
        #if FMEVOLVE_MPI
        let counts = try lengths(bytes.count)
        var offsets = [Int32](repeating: 0, count: size)
        for r in 1..<max(size, 1) { offsets[r] = offsets[r - 1] + counts[r - 1] }
        var all = [UInt8](repeating: 0, count: Int(counts.reduce(0, +)))
        let rc = bytes.withUnsafeBufferPointer { send in
            all.withUnsafeMutableBufferPointer { recv in
                MPI_Allgatherv(send.baseAddress, Int32(bytes.count), fmevolve_mpi_byte(), recv.baseAddress, counts, offsets,
                               fmevolve_mpi_byte(), fmevolve_mpi_comm_world())
            }
        }
        try check(rc, "MPI_Allgatherv")
        return (0..<size).map { Array(all[Int(offsets[$0])..<Int(offsets[$0] + counts[$0])]) }
        #else
        return [bytes]
        #endif
    }

    /// Rank 0's bytes on every rank (MPI_Bcast of the length, then of the bytes).
    public func broadcast(_ bytes: [UInt8]) throws -> [UInt8] {
        #if FMEVOLVE_MPI
        var n = Int64(bytes.count)
        try check(MPI_Bcast(&n, 1, fmevolve_mpi_long_long(), 0, fmevolve_mpi_comm_world()), "MPI_Bcast")
        var out = rank == 0 ? bytes : [UInt8](repeating: 0, count: Int(n))
        let rc = out.withUnsafeMutableBufferPointer { MPI_Bcast($0.baseAddress, Int32(n), fmevolve_mpi_byte(), 0, fmevolve_mpi_comm_world()) }
        try check(rc, "MPI_Bcast")
        return out
        #else
        return bytes
        #endif
    }

    /// MPI_Finalize.
    public func finish() {
        #if FMEVOLVE_MPI
        MPI_Finalize()
        #endif
    }

    /// Ends every rank of the job (MPI_Abort) after a failure on this one.
    public func abort(_ code: Int32) -> Never {
        #if FMEVOLVE_MPI
        MPI_Abort(fmevolve_mpi_comm_world(), code)
        #endif
        exit(code)
    }

    #if FMEVOLVE_MPI
    private func lengths(_ n: Int) throws -> [Int32] {
        var mine = Int32(n)
        var counts = [Int32](repeating: 0, count: size)
        let rc = counts.withUnsafeMutableBufferPointer {
            MPI_Allgather(&mine, 1, fmevolve_mpi_int32(), $0.baseAddress, 1, fmevolve_mpi_int32(),
                          fmevolve_mpi_comm_world())
        }
        try check(rc, "MPI_Allgather")
        return counts
    }

    private func check(_ rc: Int32, _ what: String) throws {
        if rc != fmevolve_mpi_success() { throw Failure(description: "\(what) failed (error \(rc))") }
    }
    #endif
}
