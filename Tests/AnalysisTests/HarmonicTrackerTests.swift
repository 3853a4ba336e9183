import Analysis
import AudioIO
import Foundation
import Testing
import TestSupport

@Suite struct HarmonicTrackerTests {
    @Test func parametersFollowTheMethod() throws {
        // N = max(1024, round(4 sr/f0)), H = N/4, K = harmonics below min(sr/2, 20 kHz), FFT ≥ 2N
        let p = try AnalysisParameters(sampleRate: 44100, f0: 100)
        #expect(p.window == 1764 && p.hop == 441 && p.harmonics == 199 && p.fftSize == 4096)
        let q = try AnalysisParameters(sampleRate: 96000, f0: 50)
        #expect(q.harmonics == 256)                       // capped
        let r = try AnalysisParameters(sampleRate: 44100, f0: 2000)
        #expect(r.window == 1024 && r.harmonics == 9)     // 9·2000 < 20000 ≤ 10·2000
    }

    /// A steady tone of known amplitudes is measured as those amplitudes.
    @Test func knownAmplitudes() throws {
        let amps = [0.5, 0.0, 0.25, 0.0, 0.1]
        let x = Tones.harmonic(f0: 441, amplitudes: amps, sampleRate: 44100, seconds: 0.5)
        let a = try TargetAnalysis.analyse(Audio(samples: x, sampleRate: 44100), f0: 441)
        let K = a.harmonicCount
        let t = a.frameCount / 2
        for (k, expected) in amps.enumerated() where expected > 0 {
            let measured = a.amplitudes[t * K + k]
            #expect(abs(measured / expected - 1) < 0.005, "harmonic \(k + 1): \(measured) vs \(expected)")
        }
        #expect(a.amplitudes[t * K + 1] < 5e-4)            // an absent harmonic stays absent (< -60 dB)
    }

    @Test func silentFramesDoNotCount() throws {
        // 0.3 s of tone, then 0.3 s at -60 dB: the quiet frames are inactive
        var x = Tones.harmonic(f0: 441, amplitudes: [0.5], sampleRate: 44100, seconds: 0.6)
        for i in (x.count / 2)..<x.count { x[i] *= 0.001 }
        let a = try TargetAnalysis.analyse(Audio(samples: x, sampleRate: 44100), f0: 441)
        #expect(a.active.first == true && a.active.last == false)
        #expect(a.activeFrameCount > a.frameCount / 2 - 6 && a.activeFrameCount < a.frameCount / 2 + 6)
    }

    @Test func tooShort() {
        let x = Tones.harmonic(f0: 441, amplitudes: [0.5], sampleRate: 44100, seconds: 0.005)
        #expect(throws: AnalysisError.tooShort(samples: 220, sampleRate: 44100, needed: 2205)) {
            try TargetAnalysis.analyse(Audio(samples: x, sampleRate: 44100))
        }
    }

    /// The tracks agree with the independent scorer's analysis (../shared/tools/fmscore.py).
    @Test func agreesWithFmscore() throws {
        let python = try #require(python3WithScipy, "python3 with numpy and scipy is missing; 'make test' installs them")
        let file = Paths.target("trumpet-A4.wav")
        let script = """
        import sys, json
        sys.path.insert(0, '\(Paths.shared.appendingPathComponent("tools").path)')
        import fmscore
        x, sr = fmscore.read_audio('\(file)')
        f0 = fmscore.estimate_f0(x, sr)
        b, rms = fmscore.harmonic_amplitudes(x, sr, f0)
        print(json.dumps({'f0': f0, 'b': b.ravel().tolist(), 'active': int(fmscore.active_frames(rms).sum())}))
        """
        let r = try run(python, ["-c", script])
        try #require(r.status == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let a = try TargetAnalysis.analyse(try AudioReader.read(path: file))
        #expect(abs(a.f0 - (obj["f0"] as! Double)) < 1e-9)
        #expect(a.activeFrameCount == obj["active"] as! Int)
        let b = obj["b"] as! [Double]
        #expect(b.count == a.amplitudes.count)
        let worst = zip(a.amplitudes, b).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-9)
    }
}
