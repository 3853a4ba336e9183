import Analysis
import AudioIO
import FMSynthesis
import Foundation
import Testing
import TestSupport

@Suite struct PitchTests {
    @Test func f0WithinOnePercentOnEverySharedTarget() throws {
        let notes = try Paths.manifest()
        #expect(notes.count == 8)
        for (file, nominal) in notes {
            let a = try AudioReader.read(path: file)
            let f0 = try PitchEstimator.estimate(a.samples, sampleRate: a.sampleRate)
            #expect(abs(f0 / nominal - 1) < 0.01, "\(file): \(f0) Hz, nominal \(nominal) Hz")
        }
    }

    /// FM tones whose strongest partial is the 3rd or 4th harmonic must not read as 3·f0 or 4·f0.
    @Test(arguments: [
        FMUnit(carrier: 3, modulator1: 1, modulator2: 2, index1: 0.6, index2: 0.3, topology: .parallel),
        FMUnit(carrier: 4, modulator1: 1, modulator2: 3, index1: 0.8, index2: 0.5, topology: .cascade),
        FMUnit(carrier: 5, modulator1: 2, modulator2: 1, index1: 1.2, index2: 0.4, topology: .parallel),
    ])
    func noOctaveErrorOnFMTones(unit: FMUnit) throws {
        let s = UnitSpectrum.spectrum(unit, harmonics: 20)
        let strongest = s.indices.max { abs(s[$0]) < abs(s[$1]) }! + 1
        #expect(strongest > 1, "the test tone's strongest partial must not be the fundamental")
        for f0 in [110.0, 220.0, 440.0] {
            let tone = Tones.patch(f0: f0, units: [unit], peaks: [0.5], sampleRate: 44100, seconds: 1).samples
            let est = try PitchEstimator.estimate(tone, sampleRate: 44100)
            #expect(abs(est / f0 - 1) < 0.01, "\(unit) at \(f0) Hz read as \(est) Hz")
        }
    }

    @Test func weakFundamental() throws {
        let tone = Tones.harmonic(f0: 150, amplitudes: [0.03, 0.5, 0.4, 0.3, 0.2, 0.1], sampleRate: 44100, seconds: 1)
        let est = try PitchEstimator.estimate(tone, sampleRate: 44100)
        #expect(abs(est / 150 - 1) < 0.01)
    }

    @Test func silenceHasNoPitch() {
        #expect(throws: AnalysisError.silent) {
            try PitchEstimator.estimate([Double](repeating: 0.00001, count: 44100), sampleRate: 44100)
        }
    }

    @Test func whiteNoiseHasNoPitch() {
        #expect(throws: AnalysisError.noPitch) {
            try PitchEstimator.estimate(Tones.noise(count: 44100), sampleRate: 44100)
        }
    }
}
