import AudioIO
import Foundation
import Testing
import TestSupport

/// The .csd renders FM sidebands with plain oscillators, so it renders at the target's rate × 1, 2,
/// 4 or 8: the smallest factor that puts every harmonic above −80 dB (of the strongest) below the
/// new Nyquist frequency (README, Exports). Checked on hand-written single-unit patches whose
/// sidebands reach far above 22050 Hz, by measuring csound's aliases.
@Suite(.serialized) struct CsoundOversamplingTests {
    struct Case: Sendable, CustomStringConvertible {
        var c: Int, m1: Int, m2: Int, i1: Double, i2: Double
        var description: String { "c=\(c) m1=\(m1) m2=\(m2) I1=\(i1) I2=\(i2)" }
    }

    static let f0 = 440.0, rate = 44100, seconds = 1.6

    /// The highest harmonic of sin(cθ + I1 sin m1θ + I2 sin m2θ) above −80 dB of the strongest,
    /// from a DFT of one period (4096 samples: the unit is periodic in θ, and its spectrum is far
    /// below −80 dB by harmonic 2048).
    static func highestSignificantHarmonic(_ u: Case) -> Int {
        let m = 4096
        var re = (0..<m).map { j -> Double in
            let th = 2 * Double.pi * Double(j) / Double(m)
            return sin(Double(u.c) * th + u.i1 * sin(Double(u.m1) * th) + u.i2 * sin(Double(u.m2) * th))
        }
        var im = [Double](repeating: 0, count: m)
        fft(&re, &im)
        let amplitude = (0..<(m / 2)).map { (re[$0] * re[$0] + im[$0] * im[$0]).squareRoot() }
        let peak = amplitude.max()!
        return amplitude.lastIndex { $0 > 1e-4 * peak }!
    }

    /// In-place radix-2 complex FFT (count a power of two).
    static func fft(_ re: inout [Double], _ im: inout [Double]) {
        let n = re.count
        var j = 0
        for i in 1..<n {
            var bit = n >> 1
            while j & bit != 0 { j ^= bit; bit >>= 1 }
            j |= bit
            if i < j { re.swapAt(i, j); im.swapAt(i, j) }
        }
        var len = 2
        while len <= n {
            let w = -2 * Double.pi / Double(len)
            for start in stride(from: 0, to: n, by: len) {
                for k in 0..<(len / 2) {
                    let c = cos(w * Double(k)), s = sin(w * Double(k))
                    let a = start + k, b = a + len / 2
                    let tr = re[b] * c - im[b] * s, ti = re[b] * s + im[b] * c
                    re[b] = re[a] - tr; im[b] = im[a] - ti
                    re[a] += tr; im[a] += ti
                }
            }
            len <<= 1
        }
    }

    /// Energy off the harmonics of f0 relative to the total (dB), over about 1.5 s from 0.05 s in:
    /// Blackman–Harris (4-term, sidelobes −92 dB) window, bins further than 20 Hz from every k·f0
    /// (the main lobe spans ±4 bins, under 3 Hz).
    static func offHarmonicEnergy(_ y: [Double], sampleRate: Int) throws -> Double {
        var n = 1
        while n * 2 <= Int(1.5 * Double(sampleRate)) { n *= 2 }
        let skip = sampleRate / 20
        try #require(y.count >= skip + n, "render too short: \(y.count) samples")
        var re = (0..<n).map { i -> Double in
            let x = 2 * Double.pi * Double(i) / Double(n - 1)
            return y[skip + i] * (0.35875 - 0.48829 * cos(x) + 0.14128 * cos(2 * x) - 0.01168 * cos(3 * x))
        }
        var im = [Double](repeating: 0, count: n)
        fft(&re, &im)
        var off = 0.0, total = 0.0
        for k in 0...(n / 2) {
            let f = Double(k) * Double(sampleRate) / Double(n)
            let power = re[k] * re[k] + im[k] * im[k]
            total += power
            if abs(f - (f / f0).rounded() * f0) > 20 { off += power }
        }
        return 10 * log10(max(off, 1e-300) / total)
    }

    static func patch(_ u: Case) -> String {
        """
        {"format": "fmevolve-patch", "version": 1, "name": "bright", "f0": \(f0), "sample_rate": \(rate),
         "samples": \(Int(seconds * Double(rate))), "err": 0,
         "units": [{"carrier": \(u.c), "modulator1": \(u.m1), "modulator2": \(u.m2), "index1": \(u.i1), "index2": \(u.i2),
                    "topology": "parallel", "envelope": [[0, 0.5], [\(seconds), 0.5]]}],
         "fmevolve_version": "test"}
        """
    }

    /// The .csd's rate is 44100 × the README's factor (the highest significant harmonic computed
    /// here, independently of the writer), csound's aliases there stay below −80 dB of the total,
    /// and the same .csd patched to `sr = 44100` aliases above −80 dB (the negative control).
    /// The second patch sits on the rule's edge: its harmonics above −80 dB end at 110 (48400 Hz,
    /// 4×), those above −60 dB at 94 (41360 Hz, 2× would do).
    @Test(arguments: [Case(c: 15, m1: 4, m2: 3, i1: 6, i2: 4), Case(c: 10, m1: 8, m2: 2, i1: 5, i2: 3)])
    func oversamplingKeepsAliasesBelow80dB(_ u: Case) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let highest = Self.highestSignificantHarmonic(u)
        let factor = try #require([1, 2, 4, 8].first { Double(highest) * Self.f0 < Double(Self.rate * $0) / 2 },
                                  "harmonic \(highest) needs more than 8×")
        try #require(factor > 1, "\(u): harmonic \(highest) does not reach above 22050 Hz")
        try Self.patch(u).write(toFile: dir.path("bright.json"), atomically: true, encoding: .utf8)
        let r = try fmevolve("export", dir.path("bright.json"), "--format", "csd", "--out", dir.path("x"))
        try #require(r.status == 0, "\(r.stderr)")
        let csd = dir.path("x/bright.csd")
        let sr = try Engines.csdSampleRate(csd)
        #expect(sr == Self.rate * factor, "\(u): highest significant harmonic \(highest) (\(Double(highest) * Self.f0) Hz) needs \(factor)×")

        try Engines.renderCsound(csd, to: dir.path("over.wav"))
        let over = try AudioReader.read(path: dir.path("over.wav"))
        try #require(over.sampleRate == sr)
        let aliases = try Self.offHarmonicEnergy(over.samples, sampleRate: sr)

        let text = try String(contentsOfFile: csd, encoding: .utf8)
        try text.replacingOccurrences(of: "sr = \(sr)\n", with: "sr = \(Self.rate)\n").write(toFile: dir.path("plain.csd"), atomically: true, encoding: .utf8)
        try Engines.renderCsound(dir.path("plain.csd"), to: dir.path("plain.wav"))
        let plain = try AudioReader.read(path: dir.path("plain.wav"))
        try #require(plain.sampleRate == Self.rate)
        let plainAliases = try Self.offHarmonicEnergy(plain.samples, sampleRate: Self.rate)
        print(String(format: "%@: highest significant harmonic %d (%.0f Hz), sr %d: aliases %.1f dB; at 44100 Hz: %.1f dB",
                     u.description, highest, Double(highest) * Self.f0, sr, aliases, plainAliases))
        #expect(aliases < -80, "\(u) at \(sr) Hz: aliases at \(aliases) dB")
        #expect(plainAliases > -80, "\(u) at 44100 Hz: aliases at \(plainAliases) dB (the negative control should alias)")
    }
}
