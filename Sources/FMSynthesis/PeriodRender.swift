/// One period of a unit rendered in the time domain from its FM equation: the samples
/// y(2πi/M), i = 0…M−1. Used to check the analytic spectra (an FFT of this period gives
/// s_k = −2·Im X_k / M when no sideband reaches M/2).
public enum PeriodRender {
    public static func render(_ unit: FMUnit, samples M: Int) -> [Double] {
        (0..<M).map { unit.sample(theta: 2 * Double.pi * Double($0) / Double(M)) }
    }
}
