#if canImport(Glibc)
import Glibc
#endif

/// The vibrato of a pitch series (cents per frame, no gaps) by complex demodulation.
///
/// 1. Trend: a centred moving average over `trendSeconds` (longer than the slowest vibrato's
///    period); r = c − trend.
/// 2. Rate: the peak of r's periodogram |Σ_t r_t e^(−iωtΔ)|² over 3–9 Hz (0.01 Hz grid, then a
///    parabola through the peak and its neighbours).
/// 3. Local depth: z_t = (2/L) Σ_{|s−t|≤L/2} r_s e^(−iωsΔ) over two periods (L frames), |z_t| the
///    depth at frame t (Priestley 1981, complex demodulation). Onset: the first frame whose depth
///    reaches half the largest; rate and depth again from the onset on (the frames before it,
///    without vibrato, pull the periodogram's peak); depth: the median of |z_t| from one period
///    after the onset.
/// 4. Share: 1 − Σ(r − v)² / Σ r² after the onset, v_t = Re(z_t e^(iωtΔ)) the demodulated vibrato.
struct VibratoFit {
    static let trendSeconds = 0.35
    /// Smoothing of the trend the scoop is read from (s): short, so a 50 ms scoop survives it.
    static let scoopSmoothingSeconds = 0.015

    let series: [Double]
    let frameSeconds: Double
    let residual: [Double]
    private(set) var vibrato: PitchMovement.Vibrato?
    /// The demodulated vibrato v_t (zero where none was found).
    private(set) var model: [Double]
    private(set) var share = 0.0

    init(series c: [Double], frameSeconds dt: Double) {
        series = c
        frameSeconds = dt
        let n = c.count
        let trend = Self.movingAverage(c, half: max(1, Int((Self.trendSeconds / dt / 2).rounded())))
        let r = (0..<n).map { c[$0] - trend[$0] }
        residual = r
        model = [Double](repeating: 0, count: n)
        guard Double(n) * dt >= 2 / PitchMovement.vibratoRates.lowerBound else { return }   // two slowest periods
        // rate over the whole note, onset from its demodulated depth, then both again from the onset on
        let coarse = Self.peakRate(r, dt: dt, from: 0)
        let first = Self.demodulate(r, rate: coarse, dt: dt)
        guard let largest = first.depth.max(), largest > 0 else { return }
        let start = first.depth.firstIndex { $0 >= 0.5 * largest }!
        let rate = Self.peakRate(r, dt: dt, from: start)
        let z = Self.demodulate(r, rate: rate, dt: dt)
        guard let peak = z.depth.max(), peak > 0 else { return }
        let onset = z.depth.firstIndex { $0 >= 0.5 * peak }!
        let half = max(1, Int((1 / rate / dt).rounded()))
        let typical = PitchMovement.quantile(Array(z.depth[min(n - 1, onset + half)...]).sorted(), 0.5)
        let omega = 2 * Double.pi * rate
        var num = 0.0, den = 0.0
        for t in onset..<n {
            model[t] = z.re[t] * cos(omega * Double(t) * dt) - z.im[t] * sin(omega * Double(t) * dt)
            num += (r[t] - model[t]) * (r[t] - model[t])
            den += r[t] * r[t]
        }
        share = den > 0 ? 1 - num / den : 0
        vibrato = PitchMovement.Vibrato(rate: rate, depth: typical, onset: Double(onset) * dt)
    }

    /// Complex demodulation at `rate` over two periods: z_t (real and imaginary parts) and |z_t|.
    static func demodulate(_ r: [Double], rate: Double, dt: Double) -> (re: [Double], im: [Double], depth: [Double]) {
        let n = r.count, omega = 2 * Double.pi * rate
        let half = max(1, Int((1 / rate / dt).rounded()))               // L = 2·half + 1 ≈ two periods
        var re = [Double](repeating: 0, count: n), im = re, depth = re
        for t in 0..<n {
            let lo = max(0, t - half), hi = min(n - 1, t + half)
            var a = 0.0, b = 0.0
            for s in lo...hi {
                a += r[s] * cos(omega * Double(s) * dt)
                b -= r[s] * sin(omega * Double(s) * dt)
            }
            let scale = 2 / Double(hi - lo + 1)
            re[t] = a * scale; im[t] = b * scale
            depth[t] = (re[t] * re[t] + im[t] * im[t]).squareRoot()
        }
        return (re, im, depth)
    }

    /// The pitch without its vibrato, lightly smoothed: what a scoop is read from.
    func trend(without vibrato: PitchMovement.Vibrato?) -> [Double] {
        let c = vibrato == nil ? series : series.indices.map { series[$0] - model[$0] }
        return Self.movingAverage(c, half: max(1, Int((Self.scoopSmoothingSeconds / frameSeconds / 2).rounded())))
    }

    /// Rate (Hz) of the periodogram's peak over the vibrato rates.
    static func peakRate(_ r: [Double], dt: Double, from start: Int) -> Double {
        let range = PitchMovement.vibratoRates, step = 0.01
        let count = Int(((range.upperBound - range.lowerBound) / step).rounded()) + 1
        let power = (0..<count).map { i -> Double in
            let omega = 2 * Double.pi * (range.lowerBound + Double(i) * step)
            var re = 0.0, im = 0.0
            for t in start..<r.count {
                re += r[t] * cos(omega * Double(t) * dt)
                im += r[t] * sin(omega * Double(t) * dt)
            }
            return re * re + im * im
        }
        let i = power.indices.max { power[$0] < power[$1] }!
        var offset = 0.0
        if i > 0 && i < count - 1 {
            let a = power[i - 1], b = power[i], g = power[i + 1]
            let den = a - 2 * b + g
            if den < 0 { offset = min(max(0.5 * (a - g) / den, -0.5), 0.5) }
        }
        return range.lowerBound + (Double(i) + offset) * step
    }

    /// Centred moving average over 2·half + 1 frames (fewer at the ends).
    static func movingAverage(_ x: [Double], half: Int) -> [Double] {
        x.indices.map { t in
            let lo = max(0, t - half), hi = min(x.count - 1, t + half)
            return x[lo...hi].reduce(0, +) / Double(hi - lo + 1)
        }
    }
}
