import Checkpoint
import Foundation
import MessagePassing

/// fmevolve under mpirun: every rank runs the same command; rank 0 keeps the checkpoint, the
/// progress and the result, the other ranks evolve their islands and follow rank 0's decisions.
enum MPIRun {
    /// The world communicator when mpirun started this process (nil otherwise).
    static func communicator() throws -> Communicator? {
        guard Communicator.launchedByMPI else { return nil }
        guard Communicator.isAvailable else {
            throw CLIError(description: "this fmevolve was built without MPI; build it with 'swift build -c release --traits MPI' to run under mpirun")
        }
        do { return try Communicator.start() } catch { throw CLIError(description: "\(error)") }
    }

    /// What a resumed run's other ranks need from rank 0 (which alone reads the checkpoint).
    struct ResumeHeader: Codable {
        var settings: RunSettings
        var target: String
        var stop: StopRule
        /// The search had ended: only rank 0's refinement stage is left.
        var searchDone: Bool
    }

    static func share(_ header: ResumeHeader?, over c: Communicator) throws -> ResumeHeader {
        let bytes = try c.broadcast(header.map { Array(try JSONEncoder().encode($0)) } ?? [])
        return try JSONDecoder().decode(ResumeHeader.self, from: Data(bytes))
    }

    /// A rank other than 0 is done once the search is: it leaves MPI and exits.
    static func leave(_ c: Communicator) -> Never {
        c.finish()
        exit(0)
    }
}
