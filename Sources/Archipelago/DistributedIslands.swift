import Checkpoint
import Evolution
import MessagePassing

/// An island model spread over MPI ranks: island i lives on rank i mod P. Each generation every
/// rank steps its islands, then all ranks exchange those islands' complete states (raw bytes,
/// one MPI_Allgatherv), so that every rank holds every island and makes the same migration the
/// single-process model makes — the run is bit-identical to it for any P. Rank 0 keeps the
/// checkpoint and decides when to stop (a collective: MPI_Bcast).
public final class DistributedIslands: IslandRunner {
    public let model: IslandModel
    public let communicator: Communicator

    public init(_ model: IslandModel, communicator: Communicator) {
        self.model = model
        self.communicator = communicator
    }

    public var isRoot: Bool { communicator.rank == 0 }

    /// The islands this rank evolves.
    public var owned: [Int] { Array(stride(from: communicator.rank, to: model.policy.islands, by: communicator.size)) }

    /// Generation 0: each rank makes its islands, then every rank gets them all.
    public func initialState(seed: UInt64) throws -> IslandState {
        let mine = owned.map { i in (island: i, state: model.ga.initialState(seed: IslandModel.seed(seed, island: i), island: model.slot(i)),
                                     stats: GenerationStats?.none) }
        let (state, _) = try exchange(mine, into: nil)
        return state
    }

    /// The root's state (a resumed run's) on every rank.
    public func share(_ state: IslandState?) throws -> IslandState {
        let bytes = try communicator.broadcast(isRoot ? IslandCoding.encode(state!) : [])
        return try IslandCoding.decode(bytes)
    }

    public func step(_ s: inout IslandState) throws -> GenerationStats {
        let mine = owned.map { i in
            let stats = model.ga.step(&s.islands[i], island: model.slot(i))
            return (island: i, state: s.islands[i], stats: GenerationStats?.some(stats))
        }
        let (all, stats) = try exchange(mine, into: s)
        s = all
        return model.finishGeneration(&s, stats: stats)
    }

    public func agree(stop: Bool) throws -> Bool {
        try communicator.broadcast(isRoot ? [stop ? 1 : 0] : []) == [1]
    }

    /// Every rank's islands on every rank, in island order.
    private func exchange(_ mine: [(island: Int, state: EvolutionState, stats: GenerationStats?)],
                          into previous: IslandState?) throws -> (IslandState, [GenerationStats]) {
        let parts = try communicator.allGather(IslandExchange.encode(mine))
        var islands = previous?.islands.map { Optional($0) } ?? Array(repeating: nil, count: model.policy.islands)
        var stats = [GenerationStats?](repeating: nil, count: model.policy.islands)
        for part in parts {
            for e in try IslandExchange.decode(part) where islands.indices.contains(e.island) {
                islands[e.island] = e.state
                stats[e.island] = e.stats
            }
        }
        return (IslandState(islands: islands.map { $0! }), stats.compactMap { $0 })
    }
}
