import Foundation
import Refinement
import Testing

/// A run stores its refinement settings as JSON (runs.settings); a run stored before the jump
/// term and the windowed amplitudes must resume as it was made: without them.
@Suite struct SettingsCodingTests {
    /// The settings object as runs stored it before (2026-11-29, schema 2).
    static let stored = """
        {"freeLegs":8,"knotLegs":6,"indexSmoothness":0.1,"amplitudeSmoothness":1,"maxIndex":8,"knotTolerance":0.05,
         "maxAmplitude":20,"legTolerance":0.001,"evaluationsPerLeg":50}
        """

    @Test func runsStoredBeforeKeepTheirObjective() throws {
        let s = try JSONDecoder().decode(RefinementSettings.self, from: Data(Self.stored.utf8))
        #expect(s.jumpWeight == 0)
        #expect(s.windowedAmplitudes == false)
        #expect(s.amplitudeSmoothness == 1 && s.indexSmoothness == 0.1 && s.freeLegs == 8 && s.knotLegs == 6)
    }

    @Test func newRunsRoundTrip() throws {
        let s = RefinementSettings.standard
        #expect(s.jumpWeight == 100 && s.jumpLimit == 0.2 && s.windowedAmplitudes)
        let back = try JSONDecoder().decode(RefinementSettings.self, from: JSONEncoder().encode(s))
        #expect(back == s)
    }

    @Test func aMissingRequiredFieldIsAnError() {
        let broken = Self.stored.replacingOccurrences(of: "\"maxIndex\":8,", with: "")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RefinementSettings.self, from: Data(broken.utf8)) }
    }
}
