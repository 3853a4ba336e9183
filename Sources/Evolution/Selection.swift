/// Parent selection and survivor selection.
public enum Selection {
    /// Index of the fittest of `size` genomes drawn uniformly (with replacement).
    @inline(__always)
    public static func tournament(_ fitness: [Double], size: Int, _ rng: inout Xoshiro256) -> Int {
        var best = rng.integer(0, fitness.count - 1)
        for _ in 1..<max(size, 1) {
            let c = rng.integer(0, fitness.count - 1)
            if fitness[c] < fitness[best] { best = c }
        }
        return best
    }

    /// (μ + λ) survivor selection with clearing: the `keep` best genomes of parents and children,
    /// at most `capacity` from each niche. Ties keep the earlier one (parents before children,
    /// lower index first), so the order is fully determined. When clearing leaves fewer than
    /// `keep`, the best cleared genomes fill up. Returns indices into parents ++ children.
    public static func survivors<Key: Hashable>(fitness: [Double], niches: [Key], capacity: Int, keep: Int) -> [Int] {
        let order = fitness.indices.sorted { fitness[$0] < fitness[$1] || (fitness[$0] == fitness[$1] && $0 < $1) }
        var count = [Key: Int]()
        var out = [Int]()
        var cleared = [Int]()
        out.reserveCapacity(keep)
        for i in order where fitness[i].isFinite {
            let c = count[niches[i], default: 0]
            if c < capacity {
                count[niches[i]] = c + 1
                out.append(i)
                if out.count == keep { return out }
            } else {
                cleared.append(i)
            }
        }
        for i in cleared where out.count < keep { out.append(i) }
        return out
    }
}
