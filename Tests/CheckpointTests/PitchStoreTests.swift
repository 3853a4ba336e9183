import Analysis
import AudioIO
import Checkpoint
import Evolution
import Fitness
import FMSynthesis
import Foundation
import SQLite
import Testing
import TestSupport

/// A run that follows the note's pitch stores its pitch curve and its analysis along it (pitch
/// centres, and the tracks around k·f0 that renders are scored on) exactly; a fixed-pitch run
/// stores none, and its analysis fingerprint is the one runs had before pitch curves.
@Suite struct PitchStoreTests {
    static let curve = PitchCurve(glide: Envelope(times: [0, 0.05, 0.8], values: [-40, 0, -3.25]),
                                  vibrato: Vibrato(rate: 5.5, depth: Envelope(times: [0.3, 0.48, 1.2], values: [0, 20, 17.5]),
                                                   phase: Envelope(times: [0.3, 0.48, 1.2], values: [0.1, 0.1, -0.05])))

    @Test func pitchCurveAndAnalysisRoundTripExactly() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let audio = try AudioReader.read(path: Paths.target("flute-G5.wav"))
        let fixed = try TargetAnalysis.analyse(audio)
        let centres = (0..<fixed.frameCount).map { fixed.f0 * Self.curve.ratio(at: fixed.frameTime($0)) }
        var moving = fixed.following(audio.samples, centres: centres)
        // the recording's pitch track (cents, NaN where unpitched) goes with it
        moving.pitchCents = (0..<fixed.frameCount).map { $0 % 7 == 0 ? .nan : Self.curve.cents(at: fixed.frameTime($0)) + 0.25 }
        #expect(moving.amplitudes != fixed.amplitudes)                  // the curve moves the harmonics measured
        #expect(moving.scoredAmplitudes == fixed.amplitudes)
        let config = EvolutionConfig(carriers: 1, population: 8, space: .standard(harmonics: fixed.harmonicCount))
        let settings = RunSettings(config: config, seed: 1, f0: nil, maxDuration: 120, stop: StopRule(generations: 1),
                                   followsPitch: true)
        let store = try CheckpointStore(path: dir.path("p.sqlite"), access: .write, create: true)
        let a = try store.beginRun(target: "flute.wav", samplesFingerprint: "f", analysis: moving, settings: settings,
                                   version: "test", pitch: Self.curve)
        let b = try store.beginRun(target: "flute.wav", samplesFingerprint: "f", analysis: fixed,
                                   settings: RunSettings(config: config, seed: 1, f0: nil, maxDuration: 120, stop: StopRule(generations: 1)),
                                   version: "test")
        #expect(try store.pitch(run: a) == Self.curve)
        #expect(try store.pitch(run: b) == nil)
        let back = try store.analysis(run: a)
        #expect(back.pitchCentres == centres && back.amplitudes == moving.amplitudes && back.scoredAmplitudes == fixed.amplitudes)
        #expect(back.pitchCents?.map(\.bitPattern) == moving.pitchCents?.map(\.bitPattern))
        #expect(try store.analysis(run: b).pitchCentres == nil && store.analysis(run: b).pitchCents == nil)
        #expect(try store.runs().map { $0.settings.followsPitch } == [true, false])
        // the fingerprints tell the two analyses apart, and a fixed analysis' is unchanged by the
        // new fields (runs stored before pitch curves still resume)
        #expect(try store.analysisFingerprintMatches(run: a, moving))
        #expect(try !store.analysisFingerprintMatches(run: a, fixed))
        #expect(try store.analysisFingerprintMatches(run: b, fixed))
        // scoredError measures a render as fmscore does: around k·f0, whatever the fit followed
        let render = audio.samples
        #expect(moving.scoredError(of: render) == fixed.relativeSpectralError(fixed.tracks(of: render)))
    }
}
