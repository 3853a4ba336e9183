#if canImport(Glibc)
import Glibc
#endif

/// Hann windows. `periodic` is the DFT-even form w[n] = ½ − ½cos(2πn/N) (scipy's
/// get_window("hann", N)); the symmetric form uses N − 1 in the denominator.
public enum Window {
    public static func hann(_ n: Int, periodic: Bool) -> [Double] {
        guard n > 1 else { return [Double](repeating: 1, count: max(n, 0)) }
        let d = Double(periodic ? n : n - 1)
        return (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / d) }
    }
}

/// numpy/Python `round`: halves go to the even neighbour.
@inline(__always)
func roundHalfEven(_ x: Double) -> Int { Int(x.rounded(.toNearestOrEven)) }
