import Export
import Foundation
import Testing

/// SVG.perPixel keeps, of the points in each pixel column (x rounded down), the first, the lowest,
/// the highest and the last, in their order and each once.
@Suite struct SVGThinningTests {
    static func same(_ a: [(Double, Double)], _ b: [(Double, Double)]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    @Test func eachColumnKeepsFirstLowestHighestLast() {
        let points: [(Double, Double)] = [
            (0.1, 5), (0.3, 2), (0.4, 3), (0.5, 9), (0.6, 7), (0.9, 6),       // column 0: all four roles
            (1.5, 3),                                                           // column 1: one point, once
            (2.0, 1), (2.5, 8), (2.7, 4),                                       // column 2: first = lowest
            (3.1, 9), (3.5, 4), (3.9, 0),                                       // column 3: first = highest, last = lowest
            (4.2, 2), (4.8, 6),                                                 // column 4: two points
        ]
        let expected: [(Double, Double)] = [
            (0.1, 5), (0.3, 2), (0.5, 9), (0.9, 6),
            (1.5, 3),
            (2.0, 1), (2.5, 8), (2.7, 4),
            (3.1, 9), (3.9, 0),
            (4.2, 2), (4.8, 6),
        ]
        let out = SVG.perPixel(points)
        #expect(Self.same(out, expected), "\(out)")
        #expect(SVG.perPixel([]).isEmpty)
    }

    /// A 20,000-point line across 680 pixels: at most 4 points per column, the first and last
    /// point, the global minimum and maximum kept, in the original order.
    @Test func aLongLineKeepsItsShape() {
        let n = 20_000
        let points = (0..<n).map { (i: Int) -> (Double, Double) in
            let x = 680 * Double(i) / Double(n - 1)
            var y = 100 + 40 * sin(Double(i) * 0.37)
            y += 30 * sin(Double(i) * 0.0011)
            if i == 12_345 { y += 500 }                                         // the global maximum
            if i == 777 { y -= 300 }                                            // the global minimum
            return (x, y)
        }
        let out = SVG.perPixel(points)
        var perColumn = [Double: Int]()
        for p in out { perColumn[p.0.rounded(.down), default: 0] += 1 }
        #expect(perColumn.values.allSatisfy { $0 <= 4 })
        #expect(perColumn.count == 681)                                        // every column 0…680 drawn
        #expect(out.count <= 4 * 681 && out.count >= 2 * 680)
        #expect(out.first! == points.first! && out.last! == points.last!)
        #expect(out.contains { $0 == points[12_345] } && out.contains { $0 == points[777] })   // the spikes
        // a subsequence of the input: x never decreases, every point is an input point
        #expect(zip(out, out.dropFirst()).allSatisfy { $0.0 <= $1.0 })
        var index = [Double: Int]()
        for (i, p) in points.enumerated() { index[p.0] = i }                   // x is unique here
        let positions = out.compactMap { (p: (Double, Double)) -> Int? in
            guard let i = index[p.0], points[i].1 == p.1 else { return nil }
            return i
        }
        #expect(positions.count == out.count && positions == positions.sorted())
    }
}
