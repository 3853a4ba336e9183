import Export
import FMSynthesis
import Foundation
import Testing
import TestSupport

/// PatchFile versions: a version-1 file reads as a static patch (no index envelopes), and a
/// version-2 file with index envelopes reads back from its own writing as the same file and the
/// same patch.
@Suite struct PatchFileReadWriteTests {
    /// A patch file's JSON with these units (version 2 adds `static_err`).
    static func json(version: Int, units: String) -> String {
        """
        {"format": "fmevolve-patch", "version": \(version), "name": "v", "f0": 440.3559, "sample_rate": 44100, "samples": 52920,
         "err": 0.0345, \(version == 2 ? "\"static_err\": 0.05, " : "")"fmevolve_version": "test", "units": [\(units)]}
        """
    }

    /// A unit: carrier c, modulators 1 and 3, fixed indices 1.25 and 0.5, and the given extra fields.
    static func unit(_ c: Int, _ topology: String, _ extra: String = "") -> String {
        """
        {"carrier": \(c), "modulator1": 1, "modulator2": 3, "index1": 1.25, "index2": 0.5, "topology": "\(topology)",
         "envelope": [[0, 0], [0.0058049886621315195, 0.25], [1.2, 0.125]]\(extra)}
        """
    }

    /// A version-1 file as fmevolve wrote it: no index envelopes, so a static patch whose units play
    /// their fixed indices.
    @Test func aVersion1FileIsAStaticPatch() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let json = """
            {"format": "fmevolve-patch", "version": 1, "name": "v1", "f0": 440.3559, "sample_rate": 44100, "samples": 52920,
             "err": 0.0345, "render_err": 0.0349, "fmevolve_version": "0.1.0",
             "units": [{"carrier": 1, "modulator1": 2, "modulator2": 3, "index1": 1.305, "index2": 0.581, "topology": "parallel",
                        "envelope": [[0.0, 0.0004], [0.0058, 0.0074], [1.2, 0.001]]}]}
            """
        try json.write(toFile: dir.path("v1.json"), atomically: true, encoding: .utf8)
        let file = try PatchFile.read(path: dir.path("v1.json"))
        #expect(file.version == 1 && file.units[0].index1Envelope == nil && file.units[0].index2Envelope == nil)
        let patch = file.patch()
        #expect(!patch.isDynamic && patch.indexEnvelopes == [nil])
        let expected = Patch(f0: 440.3559, units: [FMUnit(carrier: 1, modulator1: 2, modulator2: 3, index1: 1.305, index2: 0.581,
                                                         topology: .parallel)],
                             envelopes: [Envelope(times: [0, 0.0058, 1.2], values: [0.0004, 0.0074, 0.001])])
        #expect(patch == expected)
    }

    /// A version-2 file with index envelopes (one unit with both, one with I1 only, one static),
    /// written and read back, is the same file; its patch carries the envelopes (a missing one is
    /// the fixed index, constant).
    @Test func aVersion2FileRoundTrips() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let i1 = "[[0, 0.3], [0.1, 3.0], [0.6, 1.5]]", i2 = "[[0, 1.2], [0.0123457, 1.1], [1.0, 0.2]]"
        let units = [Self.unit(1, "parallel", ", \"index1_envelope\": \(i1), \"index2_envelope\": \(i2)"),
                     Self.unit(2, "cascade", ", \"index1_envelope\": \(i2)"), Self.unit(3, "parallel")]
        try Self.json(version: 2, units: units.joined(separator: ", ")).write(toFile: dir.path("hand.json"), atomically: true, encoding: .utf8)
        let original = try PatchFile.read(path: dir.path("hand.json"))
        try original.write(to: dir.path("written.json"))
        let read = try PatchFile.read(path: dir.path("written.json"))
        #expect(read == original)
        #expect(read.version == 2 && read.staticErr == 0.05)
        let patch = read.patch()
        #expect(patch.indexEnvelopes[0] == IndexEnvelopes(index1: Envelope(times: [0, 0.1, 0.6], values: [0.3, 3, 1.5]),
                                                          index2: Envelope(times: [0, 0.0123457, 1], values: [1.2, 1.1, 0.2])))
        #expect(patch.indexEnvelopes[1] == IndexEnvelopes(index1: Envelope(times: [0, 0.0123457, 1], values: [1.2, 1.1, 0.2]),
                                                          index2: Envelope(times: [0], values: [0.5])))
        #expect(patch.indexEnvelopes[2] == nil && patch.isDynamic)
        #expect(patch.envelopes[0] == Envelope(times: [0, 0.0058049886621315195, 1.2], values: [0, 0.25, 0.125]))
        // a file that carries no envelopes writes none (what version-1 readers expect)
        try Self.json(version: 1, units: Self.unit(1, "parallel")).write(toFile: dir.path("v1.json"), atomically: true, encoding: .utf8)
        try PatchFile.read(path: dir.path("v1.json")).write(to: dir.path("v1-written.json"))
        let text = try String(contentsOfFile: dir.path("v1-written.json"), encoding: .utf8)
        #expect(!text.contains("index1_envelope") && !text.contains("index2_envelope") && !text.contains("static_err"), "\(text)")
    }
}
