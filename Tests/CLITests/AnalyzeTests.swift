import AudioIO
import Foundation
import Testing
import TestSupport

/// `fmevolve analyze` on a tone of known harmonics after a known silence: every field of the
/// JSON and of the text, checked against the tone and the analysis rules (README, "The method").
@Suite struct AnalyzeTests {
    static let sampleRate = 44100
    static let f0 = 110.0
    /// Harmonics 1–4; loudest first they are 2, 4, 1, 3 (not the harmonics' own order).
    static let amplitudes = [0.1, 0.4, 0.05, 0.2]
    static let order = [2, 4, 1, 3]
    /// 0.25 s of silence before 1 s of the tone.
    static let silence = 11025
    static let toneSeconds = 1.0

    /// Writes the tone as a 32-bit float WAV; returns its path.
    static func tone(_ dir: TemporaryDirectory) throws -> String {
        let path = dir.path("tone.wav")
        let y = [Double](repeating: 0, count: silence)
            + Tones.harmonic(f0: f0, amplitudes: amplitudes, sampleRate: sampleRate, seconds: toneSeconds)
        try AudioWriter.writeWAV(path: path, samples: y, sampleRate: sampleRate)
        return path
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    @Test func jsonFieldsMatchTheTone() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try Self.tone(dir)
        let r = try fmevolve("analyze", path, "--top", "4", "--json")
        try #require(r.status == 0, "\(r.stderr)")
        let a = try Self.json(r.stdout)
        #expect(Set(a.keys) == ["file", "format", "sample_rate", "channels", "samples", "duration", "f0", "f0_source",
                                "window", "hop", "harmonics", "frames", "active_frames", "onset", "loudest", "pitch", "harmonicity"])
        let n = Self.silence + Int(Self.toneSeconds * Double(Self.sampleRate))
        #expect(a["file"] as? String == path)
        #expect((a["format"] as? String)?.hasPrefix("WAV") == true, "\(a["format"] ?? "")")
        #expect(a["sample_rate"] as? Int == 44100 && a["channels"] as? Int == 1)
        #expect(a["samples"] as? Int == n)
        #expect(a["duration"] as? Double == Double(n) / 44100)
        let f0 = try #require(a["f0"] as? Double)
        #expect(abs(f0 - Self.f0) < 0.01, "f0 \(f0)")                         // 0.01 Hz
        #expect(a["f0_source"] as? String == "estimated")
        // window max(1024, 4 periods) = round(4 · 44100 / 110) = 1604, hop window/4, every
        // harmonic below 20 kHz: 181 · 110 = 19910 Hz
        #expect(a["window"] as? Int == 1604)
        #expect(a["hop"] as? Int == 401)
        #expect(a["harmonics"] as? Int == 181)
        // frames centred on t·hop for t = 0 … n/hop; the active ones are those whose window
        // [t·hop − 802, t·hop + 802) reaches into the tone (the others hold only digital silence)
        #expect(a["frames"] as? Int == 1 + n / 401)
        let active = (0...(n / 401)).filter { $0 * 401 + 802 > Self.silence }.count
        #expect(a["active_frames"] as? Int == active)
        // onset: the start of the first 10 ms window whose RMS is within 40 dB of the peak, so at
        // most 10 ms before the tone starts (and never after it); 1 ms to spare
        let onset = try #require(a["onset"] as? Double)
        let start = Double(Self.silence) / 44100
        #expect(onset <= start && onset >= start - 0.011, "onset \(onset) s, tone from \(start) s")

        // a steady tone: f0(t) on every active frame (null on the silent ones), within 0.5 cents
        // of 110 Hz where the window lies wholly in the tone (from 4 hops after the first active
        // frame to 2 hops before the end), neither vibrato nor scoop
        let pitch = try #require(a["pitch"] as? [String: Any])
        let track = try #require(pitch["f0_track"] as? [Any])
        #expect(track.count == a["frames"] as? Int)
        #expect(track.compactMap { $0 as? Double }.count == active, "pitched frames of \(active) active")
        let first = try #require(track.firstIndex { $0 is Double })
        let held = track[(first + 4)..<(track.count - 2)].compactMap { $0 as? Double }.map { 1200 * log2($0 / Self.f0) }
        #expect(held.count > 100 && held.allSatisfy { abs($0) < 0.5 }, "\(held.map { abs($0) }.max() ?? .nan) cents off")
        #expect(abs((pitch["frame_seconds"] as? Double ?? 0) - 401.0 / 44100) < 1e-15)
        #expect(pitch["vibrato"] is NSNull && pitch["scoop"] is NSNull, "\(pitch)")

        let loudest = try #require(a["loudest"] as? [[String: Any]])
        #expect(loudest.count == 4)
        #expect(loudest.map { $0["harmonic"] as? Int } == Self.order)
        for row in loudest {
            let k = try #require(row["harmonic"] as? Int), a = Self.amplitudes[k - 1]
            let frequency = try #require(row["frequency"] as? Double)
            #expect(abs(frequency - Double(k) * f0) <= 1e-9 * frequency)          // 1e-9 relative
            // the mean over the active frames: the frames that straddle the onset hold part of
            // the tone, so it is up to 3 % below the amplitude, never above (0.1 % for the peaks)
            let mean = try #require(row["mean_amplitude"] as? Double)
            #expect(mean <= 1.001 * a && mean >= 0.97 * a, "harmonic \(k): \(mean)")
            // level relative to the loudest: 20 log10(a_k / 0.4) = 0, −6.02, −12.04, −18.06 dB, to
            // 0.1 dB (the frames that straddle the onset see the cut-off tone, whose leakage from
            // the loud harmonics lifts the weak ones' peaks a little)
            let db = try #require(row["db"] as? Double)
            #expect(abs(db - 20 * log10(a / 0.4)) < 0.1, "harmonic \(k): \(db) dB")
        }
    }

    /// The rows of the text output's "loudest" table: (harmonic, frequency, level dB).
    static func textRows(_ stdout: String) throws -> [(harmonic: Int, frequency: Double, db: Double)] {
        let lines = stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("loudest") })
        return lines[(header + 1)...].map { line in
            let f = line.split(separator: " ")
            return (Int(f[0])!, Double(f[1])!, Double(f[3])!)
        }
    }

    @Test(arguments: [0, 1, 3, 7])
    func topGivesExactlyNRows(n: Int) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try Self.tone(dir)
        let j = try fmevolve("analyze", path, "--top", "\(n)", "--json")
        try #require(j.status == 0, "\(j.stderr)")
        let rows = try #require(try Self.json(j.stdout)["loudest"] as? [[String: Any]])
        #expect(rows.count == n)
        #expect(rows.prefix(4).map { $0["harmonic"] as? Int } == Array(Self.order.prefix(n)))

        let t = try fmevolve("analyze", path, "--top", "\(n)")
        try #require(t.status == 0, "\(t.stderr)")
        let text = try Self.textRows(t.stdout)
        #expect(text.count == n)
        #expect(text.prefix(4).map(\.harmonic) == Array(Self.order.prefix(n)))
        for row in text.prefix(4) {
            // printed to 0.1 Hz and 0.1 dB: half a step of rounding and 0.1 of measurement
            #expect(abs(row.frequency - Double(row.harmonic) * Self.f0) < 0.1)
            #expect(abs(row.db - 20 * log10(Self.amplitudes[row.harmonic - 1] / 0.4)) < 0.15)
        }
        // the header lines are there whatever --top says
        for label in ["file", "format", "duration", "f0", "analysis", "harmonics", "frames", "loudest"] {
            #expect(t.stdout.split(separator: "\n").contains { $0.hasPrefix(label + " ") }, "no \(label) line")
        }
        #expect(t.stdout.contains("window 1604, hop 401"))
        #expect(t.stdout.contains("harmonics   181 "))
    }

    /// A frame counts when its RMS is within 50 dB of the loudest frame's: the tone after 0.25 s
    /// of silence for 0.5 s, then at −45 dB for 0.25 s (active), then at −55 dB for 0.25 s (not).
    @Test func activeFramesAreThoseWithinFiftyDecibels() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let sections: [(samples: Int, gain: Double)] = [(11025, 0), (22050, 1), (11025, pow(10, -45.0 / 20)),
                                                        (11025, pow(10, -55.0 / 20))]
        let n = sections.reduce(0) { $0 + $1.samples }
        var y = Tones.harmonic(f0: Self.f0, amplitudes: Self.amplitudes, sampleRate: 44100, seconds: Double(n) / 44100)
        try #require(y.count == n)
        var start = 0
        for s in sections {
            for i in start..<(start + s.samples) { y[i] *= s.gain }
            start += s.samples
        }
        let path = dir.path("levels.wav")
        try AudioWriter.writeWAV(path: path, samples: y, sampleRate: 44100)
        let r = try fmevolve("analyze", path, "--json")
        try #require(r.status == 0, "\(r.stderr)")
        let a = try Self.json(r.stdout)
        #expect(a["frames"] as? Int == 1 + n / 401)
        let active = try #require(a["active_frames"] as? Int)
        // each frame's power relative to a frame of the loud tone: Σ over the sections of the
        // share of the frame's 1604 samples in it × gain²; active above 10^(−50/10). The power of
        // a part of a frame is that of whole periods to ±1.8 dB (a factor 1.5), so frames within
        // that of the threshold may go either way.
        let power = (0...(n / 401)).map { t -> Double in
            let lo = t * 401 - 802, hi = lo + 1604
            var p = 0.0, begin = 0
            for s in sections {
                p += Double(max(0, min(hi, begin + s.samples) - max(lo, begin))) / 1604 * s.gain * s.gain
                begin += s.samples
            }
            return p / 1e-5
        }
        let surely = power.filter { $0 > 1.5 }.count, possibly = power.filter { $0 > 1 / 1.5 }.count
        #expect(possibly - surely <= 2)
        #expect(active >= surely && active <= possibly, "\(active) active frames; expected \(surely)…\(possibly)")
    }

    @Test func negativeTopIsAUsageError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let r = try fmevolve("analyze", try Self.tone(dir), "--top", "-1")
        #expect(r.status == 64)
        #expect(r.stderrLines.count == 1 && r.stderrLines[0].hasPrefix("fmevolve: error: "), "\(r.stderr)")
    }
}
