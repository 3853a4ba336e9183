import Foundation
import Testing
import TestSupport

/// `fmevolve export DB --format syx`: the cartridge, the note file beside it (.syx.json) and the
/// patch the voice plays (.dx7.json) tell the same story, its pitch included. Voice 1 is read back from the .syx by
/// the packed format (Dexed's Documentation/sysex-format.txt: 6 header bytes, then 17 bytes an
/// operator, OP6 first, output level at +14, coarse at +15 bits 1–5; algorithm − 1 at 110).
@Suite struct DX7ExportTests {
    struct Op { var outputLevel: Int; var coarse: Int }

    /// OP1…OP6 and the algorithm of voice 1.
    static func voice1(_ syx: [UInt8]) -> (ops: [Op], algorithm: Int) {
        let ops = (1...6).map { k -> Op in
            let base = 6 + 17 * (6 - k)
            return Op(outputLevel: Int(syx[base + 14]), coarse: Int(syx[base + 15]) >> 1)
        }
        return (ops, Int(syx[6 + 110]) + 1)
    }

    @Test func theVoiceItsNoteFileAndItsPatchAgree() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let db = try exportFixture(dir)
        let out = dir.path("x")
        let r = try fmevolve("export", db, "--format", "syx", "--out", out)
        try #require(r.status == 0, "\(r.stderr)")
        let syx = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(out)/trumpet-A4.syx")))
        try #require(syx.count == 4104)

        // the .dx7.json is a patch file fmevolve renders
        let dx7Path = "\(out)/trumpet-A4.dx7.json"
        let rendered = try fmevolve("render", dx7Path, "--output", dir.path("dx7.wav"))
        #expect(rendered.status == 0, "\(rendered.stderr)")
        let patch = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dx7Path))) as? [String: Any])
        let units = try #require(patch["units"] as? [[String: Any]])

        // the note file: JSON with exactly the documented keys
        let noteData = try Data(contentsOf: URL(fileURLWithPath: "\(out)/trumpet-A4.syx.json"))
        let note = try #require(try JSONSerialization.jsonObject(with: noteData) as? [String: Any])
        // the run follows the trumpet's pitch (issue 13: its attack scoop), so the note file has a
        // pitch object too
        #expect(Set(note.keys) == ["voice", "midi_note", "note_off_s", "duration_s", "algorithm", "units", "err_of_dx7_genome", "pitch"])
        let text = String(decoding: noteData, as: UTF8.self)
        let positions = note.keys.sorted().map { text.range(of: "\"\($0)\"")!.lowerBound }
        #expect(positions == positions.sorted(), "keys not in sorted order: \(text)")
        let duration = Double(patch["samples"] as! Int) / Double(patch["sample_rate"] as! Int)
        let f0 = try #require(patch["f0"] as? Double)
        #expect(note["voice"] as? Int == 1)
        #expect(note["midi_note"] as? Int == Int((69 + 12 * log2(f0 / 440)).rounded()))      // A4: 69
        #expect(note["midi_note"] as? Int == 69)
        #expect(note["duration_s"] as? Double == duration)
        let noteOff = try #require(note["note_off_s"] as? Double)
        #expect(noteOff > 0 && noteOff <= duration)
        #expect(note["units"] as? Int == units.count)
        #expect(note["err_of_dx7_genome"] as? Double == patch["err"] as? Double, "\(note) vs err \(String(describing: patch["err"]))")

        // voice 1 plays those units: carriers and modulators at their coarse ratios, modulators
        // at the output level of their (quantised) index, I = 4π · 2^((OL − 99)/8) (OL ≥ 20), OL 0 for 0
        let (ops, algorithm) = Self.voice1(syx)
        #expect(note["algorithm"] as? Int == algorithm)
        // the slots (carrier, modulator 1, modulator 2) of each algorithm, as operator numbers
        let slots: [[Int]]
        switch algorithm {
        case 10, 3: slots = [[1, 2, 3], [4, 5, 6]]                 // OP3→OP2→OP1, and OP5+OP6→OP4 (10) or OP6→OP5→OP4 (3)
        case 5: slots = [[1, 2], [3, 4], [5, 6]]                   // three two-operator stacks
        default: Issue.record("algorithm \(algorithm) is none of 3, 5, 10"); return
        }
        try #require(units.count <= slots.count)
        for (j, u) in units.enumerated() {
            let slot = slots[j]
            let topology = u["topology"] as! String
            if algorithm == 10 && j == 1 { #expect(topology == "parallel") }
            if algorithm == 3 || (algorithm == 10 && j == 0) { #expect(topology == "cascade" || (u["index2"] as! Double) == 0) }
            #expect(ops[slot[0] - 1].coarse == u["carrier"] as! Int, "unit \(j + 1) carrier")
            #expect(ops[slot[0] - 1].outputLevel > 0, "unit \(j + 1): its carrier sounds")
            for (m, key) in [(1, "1"), (2, "2")] where m < slot.count {
                let index = u["index" + key] as! Double
                let op = ops[slot[m] - 1]
                if index == 0 { #expect(op.outputLevel == 0, "unit \(j + 1) modulator \(m) is off"); continue }
                #expect(op.coarse == u["modulator" + key] as! Int, "unit \(j + 1) modulator \(m) ratio")
                let played = 4 * Double.pi * pow(2, Double(op.outputLevel - 99) / 8)
                #expect(op.outputLevel >= 20 && abs(played / index - 1) < 1e-9,
                        "unit \(j + 1) modulator \(m): index \(index), OL \(op.outputLevel) plays \(played)")
            }
            if slot.count == 2 { #expect(u["index2"] as! Double == 0, "a stack has one modulator") }
        }
        // operators of no unit are silent
        let used = Set(slots.prefix(units.count).joined())
        for k in 1...6 where !used.contains(k) { #expect(ops[k - 1].outputLevel == 0, "OP\(k) should be off") }

        // the pitch: the note file names voice 1's pitch EG (bytes 102–109: R1–R4, L1–L4) and LFO
        // (112 speed, 113 delay, 114 PMD, 116 = sync | wave<<1 | PMS<<4), and the .dx7.json moves
        // its pitch exactly when they do
        let pitch = try #require(note["pitch"] as? [String: Any])
        let lfo = try #require(pitch["lfo"] as? [String: Any])
        let rates = try #require(pitch["eg_rates"] as? [Int]), levels = try #require(pitch["eg_levels"] as? [Int])
        #expect(rates + levels == syx[(6 + 102)...(6 + 109)].map(Int.init))
        let (speed, delay, pmd, pms, wave) = (lfo["speed"] as? Int, lfo["delay"] as? Int, lfo["pmd"] as? Int, lfo["pms"] as? Int, lfo["wave"] as? Int)
        #expect([speed, delay, pmd] == [Int(syx[6 + 112]), Int(syx[6 + 113]), Int(syx[6 + 114])])
        #expect((1 | (wave ?? -1) << 1 | (pms ?? -1) << 4) == Int(syx[6 + 116]) && lfo["sync"] as? Bool == true)
        let moves = levels != [50, 50, 50, 50] || (pmd ?? 0) * (pms ?? 0) > 0
        #expect((patch["pitch"] != nil) == moves, "the .dx7.json's pitch: \(String(describing: patch["pitch"])), the voice's: \(pitch)")
        #expect((pitch["vs_pitch_curve_rms_cents"] as? Double).map { $0 >= 0 && $0 < 50 } == true)
    }
}
