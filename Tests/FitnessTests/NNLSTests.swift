import Fitness
import Testing

@Suite struct NNLSTests {
    /// Units s1 = (1, 0), s2 = (1, 1), target b = (2, −1). Unconstrained least squares gives
    /// a = (3, −1); with a ≥ 0 the candidates are a2 = 0 ⇒ a1 = 2 (residual 1) and a1 = 0 ⇒
    /// a2 = 0.5 (residual 4.5), so the NNLS solution is (2, 0).
    @Test func handSolvedTwoUnits() {
        let a = NNLS.solve(gram: [1, 1, 1, 2], r: [2, 1])
        #expect(abs(a[0] - 2) < 1e-9 && a[1] == 0)      // 1e-9: the solver's ridge is 1e-12·trace
    }

    /// Orthonormal units: NNLS clips the unconstrained solution r at zero.
    @Test func orthonormalClips() {
        let a = NNLS.solve(gram: [1, 0, 0, 0, 1, 0, 0, 0, 1], r: [1, -2, 3])
        #expect(abs(a[0] - 1) < 1e-9 && a[1] == 0 && abs(a[2] - 3) < 1e-9)
    }

    /// An interior solution equals the unconstrained one: G = [[2,1],[1,2]], r = (4, 5) ⇒ a = (1, 2).
    @Test func interiorSolution() {
        let a = NNLS.solve(gram: [2, 1, 1, 2], r: [4, 5])
        #expect(abs(a[0] - 1) < 1e-9 && abs(a[1] - 2) < 1e-9)
    }

    /// Two identical units (singular Gram): the fit is still exact and non-negative.
    @Test func duplicateUnits() {
        let a = NNLS.solve(gram: [1, 1, 1, 1], r: [3, 3])
        #expect(a[0] >= 0 && a[1] >= 0 && abs(a[0] + a[1] - 3) < 1e-9)
    }

    /// Nothing correlates positively: a = 0.
    @Test func allNegative() {
        #expect(NNLS.solve(gram: [1, 0.5, 0.5, 1], r: [-1, -0.2]) == [0, 0])
    }
}
