import Refinement
import Testing

/// Where the refinement forbids jumps (RefinementTarget.steadyPairs), by the rule scripts/jumps.py
/// counts them with, on hand-made norms.
@Suite struct SteadyPairsTests {
    /// A note: silence, a 3-frame attack to 1, a plateau with one fast drop to 0.5 and back, a
    /// slow release below half, silence.
    static let norm: [Double] = [0, 0, 0.2, 0.6, 1, 1, 1, 1, 1, 1, 0.5, 1, 1, 1, 1, 1, 0.9, 0.7, 0.45, 0.3, 0.1, 0, 0]
    static let active = norm.map { $0 > 0.05 }

    @Test func attackReleaseAndFastMovesAreExcused() {
        let steady = RefinementTarget.steadyPairs(norm: Self.norm, active: Self.active, first: 0, frames: Self.norm.count)
        let pairs = steady.indices.filter { steady[$0] }
        // half the largest (0.5) is first reached at frame 3 and last at frame 17: pairs 3…16;
        // the attack's rises 2→3 and 3→4 (0.4 > 0.3) excuse pairs up to 5, the drop 9→10 and the
        // rise 10→11 (0.5) pairs 7…12; the release's steps (0.2, 0.25) are slow
        #expect(pairs == [6, 13, 14, 15, 16])
    }

    @Test func spanIndicesAreRelative() {
        let steady = RefinementTarget.steadyPairs(norm: Self.norm, active: Self.active, first: 2, frames: 18)
        #expect(steady.count == 17)
        #expect(steady.indices.filter { steady[$0] } == [4, 11, 12, 13, 14])
    }

    @Test func silenceHasNoSteadyPairs() {
        let steady = RefinementTarget.steadyPairs(norm: [0, 0, 0, 0], active: [false, false, false, false], first: 0, frames: 4)
        #expect(steady == [false, false, false])
    }
}
