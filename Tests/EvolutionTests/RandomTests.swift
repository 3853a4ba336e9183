import Evolution
import Testing

@Suite struct RandomTests {
    /// Known answers of the reference xoshiro256** code (prng.di.unimi.it) from state {1, 2, 3, 4}.
    @Test func xoshiroKnownAnswers() {
        var g = Xoshiro256(state: [1, 2, 3, 4])!
        #expect([g.next(), g.next(), g.next(), g.next()] == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
    }

    /// Seeding goes through SplitMix64 (its first output for seed 0 is 0xE220A8397B1DCDAF).
    @Test func seedingThroughSplitMix() {
        #expect(Xoshiro256(seed: 0).state[0] == 0xE220_A839_7B1D_CDAF)
        var g = Xoshiro256(seed: 1)
        #expect(g.next() == 12_966_619_160_104_079_557)
    }

    @Test func stateRoundTrips() {
        var a = Xoshiro256(seed: 99)
        for _ in 0..<10 { _ = a.next() }
        var b = Xoshiro256(state: a.state)!
        #expect(a.next() == b.next())
        #expect(Xoshiro256(state: [0, 0, 0, 0]) == nil)
    }

    @Test func drawsStayInRange() {
        var g = Xoshiro256(seed: 5)
        var seen = Set<Int>()
        for _ in 0..<10_000 {
            let i = g.integer(3, 9)
            #expect((3...9).contains(i))
            seen.insert(i)
            let u = g.uniform()
            #expect(u >= 0 && u < 1)
        }
        #expect(seen.count == 7)
        // mean and variance of the normal deviates
        let z = (0..<20_000).map { _ in g.normal() }
        let mean = z.reduce(0, +) / Double(z.count)
        let variance = z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(z.count)
        #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.05)
    }
}
