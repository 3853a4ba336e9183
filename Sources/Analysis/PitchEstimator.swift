import FFTW
#if canImport(Glibc)
import Glibc
#endif

/// Fundamental frequency of a (mostly) harmonic note (method.md step 2).
///
/// 1. YIN on up to 25 frames of the middle half of the note's active region; the median of the
///    frames whose aperiodicity is low.
/// 2. Octave checks on a long Hann-windowed FFT of that segment: f0 is divided by d ∈ 2…5 when
///    the partials f0/d would add (j·f0/d, j not a multiple of d) hold > 2 % of the harmonic
///    energy — an FM tone whose 3rd harmonic dominates must not read as 3·f0, but its weak
///    partials 1, 2, 4, 5 … still carry a few per cent — and multiplied by 2 or 3 when only every
///    2nd/3rd harmonic is present.
/// 3. Refinement by an amplitude-weighted least-squares fit f0 = Σ w k f_k / Σ w k² over the
///    interpolated peak frequencies f_k of harmonics k ≤ 12.
/// The constants are those of ../shared/tools/fmscore.py.
public enum PitchEstimator {
    public static func estimate(_ x: [Double], sampleRate sr: Int) throws -> Double {
        if Signal.isSilent(x) { throw AnalysisError.silent }
        let fmin = AnalysisSettings.f0Range.lowerBound, fmax = AnalysisSettings.f0Range.upperBound
        let srd = Double(sr)
        var (on, off) = Activity.onsetOffset(x, sampleRate: sr)
        on = max(0, on); off = min(x.count, off)
        let tauMax = Int((srd / fmin).rounded(.up))
        let tauMin = max(2, Int((srd / fmax).rounded(.down)))
        let W = tauMax
        let flen = W + tauMax + 1
        var a = on + (off - on) / 4
        var b = on + 3 * (off - on) / 4
        if b - a < flen {                       // short note: widen around the centre
            let mid = (on + off) / 2
            a = mid - flen / 2
            b = a + flen
        }
        // zero-pad when the segment runs past either end
        var xp = x
        if a < 0 || b > x.count {
            let padL = max(0, -a), padR = max(0, b - x.count)
            xp = [Double](repeating: 0, count: padL) + x + [Double](repeating: 0, count: padR)
            a += padL; b += padL
        }

        // 1. YIN on evenly spaced frames
        let nfr = min(25, max(1, (b - a - flen) / max(1, tauMax / 2) + 1))
        var yin = YIN(tauMin: tauMin, tauMax: tauMax, window: W)
        var taus = [Double](), aps = [Double]()
        var frame = [Double](repeating: 0, count: flen)
        for i in 0..<nfr {
            // numpy.linspace(a, b - flen, nfr).astype(int)
            let start = nfr == 1 || i == nfr - 1 ? (i == 0 ? a : b - flen)
                : Int(Double(i) * (Double(b - flen - a) / Double(nfr - 1)) + Double(a))
            var mean = 0.0
            for j in 0..<flen { frame[j] = xp[start + j]; mean += frame[j] }
            mean /= Double(flen)
            for j in 0..<flen { frame[j] -= mean }
            let est = frame.withUnsafeBufferPointer { yin.estimate($0) }
            taus.append(est?.tau ?? .nan)
            aps.append(est?.aperiodicity ?? .infinity)
        }
        let okIdx = taus.indices.filter { taus[$0].isFinite }
        guard !okIdx.isEmpty, median(aps) <= AnalysisSettings.aperiodicLimit else { throw AnalysisError.noPitch }
        let minAp = okIdx.map { aps[$0] }.min()!
        let good = okIdx.filter { aps[$0] <= max(AnalysisSettings.aperiodicLimit, minAp * 1.5) }
        var f0 = median(good.map { srd / taus[$0] })

        // 2. long-FFT checks on the same steady segment (at most 1.5 s)
        var seg = Array(xp[a..<b])
        let maxLen = Int(1.5 * srd)
        if seg.count > maxLen {
            let c0 = (seg.count - maxLen) / 2
            seg = Array(seg[c0..<(c0 + maxLen)])
        }
        let segMean = seg.reduce(0, +) / Double(seg.count)
        let w = Window.hann(seg.count, periodic: false)
        let fft = RealFFT(size: RealFFT.nextPowerOfTwo(max(4 * seg.count, 8192)))
        for i in 0..<seg.count { fft.input[i] = (seg[i] - segMean) * w[i] }
        for i in seg.count..<fft.size { fft.input[i] = 0 }
        fft.transform()
        var mag = [Double](repeating: 0, count: fft.binCount)
        mag.withUnsafeMutableBufferPointer { fft.magnitudes(into: $0) }
        let df = srd / Double(fft.size)
        let fcap = min(srd / 2 * 0.98, 12000)

        func harmonicAmplitudes(_ f: Double, _ ks: [Int]) -> [Double] {
            var out = [Double]()
            mag.withUnsafeBufferPointer { m in
                for k in ks {
                    let fk = Double(k) * f
                    if fk >= fcap { break }
                    out.append(SpectralPeak.largest(in: m, df: df, near: fk, halfWidth: min(AnalysisSettings.peakTolerance * fk, 0.2 * f)).amplitude)
                }
            }
            return out
        }

        for _ in 0..<4 {
            let kmax = Int(min(30, (fcap / f0).rounded(.down)))
            if kmax < 1 { break }
            let ints = harmonicAmplitudes(f0, Array(1...kmax))
            let eInt = ints.reduce(0) { $0 + $1 * $1 }
            if eInt <= 0 { break }
            var bestD = 0, bestR = AnalysisSettings.subharmonicRatio
            for d in 2...5 {
                if f0 / Double(d) < fmin * 0.9 { continue }
                let g = f0 / Double(d)
                let jmax = Int(min(Double(30 * d), (fcap / g).rounded(.down)))
                let js = jmax >= 1 ? (1...jmax).filter { $0 % d != 0 } : []
                let r = js.isEmpty ? 0 : harmonicAmplitudes(g, js).reduce(0) { $0 + $1 * $1 } / eInt
                if r > bestR { bestD = d; bestR = r }
            }
            if bestD > 0 { f0 /= Double(bestD); continue }
            var changed = false
            for dvs in [2, 3] where ints.count >= dvs {
                var notMultiple = 0.0
                for (i, v) in ints.enumerated() where (i + 1) % dvs != 0 { notMultiple += v * v }
                if notMultiple < 0.01 * eInt && f0 * Double(dvs) <= fmax * 1.1 {
                    f0 *= Double(dvs)
                    changed = true
                    break
                }
            }
            if !changed { break }
        }

        // 3. weighted least squares over the harmonic peak frequencies
        var ks = [Double](), fs = [Double](), ws = [Double]()
        mag.withUnsafeBufferPointer { m in
            for k in 1...12 {
                let fk = Double(k) * f0
                if fk >= fcap { break }
                let p = SpectralPeak.largest(in: m, df: df, near: fk, halfWidth: min(AnalysisSettings.peakTolerance * fk, 0.3 * f0))
                ks.append(Double(k)); fs.append(p.frequency); ws.append(p.amplitude * p.amplitude)
            }
        }
        if let wmax = ws.max(), wmax > 0 {
            var num = 0.0, den = 0.0
            for i in ws.indices where ws[i] > wmax * 1e-3 {
                num += ws[i] * ks[i] * fs[i]
                den += ws[i] * ks[i] * ks[i]
            }
            let fRef = num / den
            if abs(fRef / f0 - 1) < 0.03 { f0 = fRef }
        }
        return f0
    }

    /// numpy's median: the mean of the two middle values for an even count.
    static func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        let n = s.count
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2])
    }
}
