import Foundation
import Testing
import TestSupport

/// `fmevolve batch` over five bundled notes (issue 15, acceptance 3): killed mid-way and
/// rerun it finishes every note once, as an uninterrupted batch would; a third run does no work.
@Suite struct BatchTests {
    @Test func killedBatchFinishesEveryNoteOnce() throws {
        let reference = try BatchFixture.shared.referenceFolder()
        let notes = try BatchFixture.notes()
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let out = dir.path("out")
        let args = ["batch"] + notes + ["--out", out] + BatchFixture.options
        func checkpoint(_ i: Int) -> String { "\(out)/\(BatchFixture.name(notes[i])).sqlite" }
        func champion(_ i: Int) -> String { "\(out)/\(BatchFixture.name(notes[i])).champion.json" }
        let fm = FileManager.default

        // killed while the fourth note is in its search, the first three done
        let p = try Background(Paths.executable, args, in: dir)
        let inside = eventually(within: 120) {
            ((try? storedGenerations(checkpoint(3)))?.newest ?? -1) >= 20 && !fm.fileExists(atPath: champion(3))
        }
        p.signal(SIGKILL)
        p.wait()
        try #require(inside, "the batch was not caught inside the fourth note: \(p.stderr)")
        #expect((0..<3).allSatisfy { fm.fileExists(atPath: champion($0)) })
        let stoppedAt = try storedGenerations(checkpoint(3)).newest
        #expect(!fm.fileExists(atPath: champion(3)) && stoppedAt < 300)
        let doneBefore = try (0..<3).map { try fm.attributesOfItem(atPath: champion($0))[.modificationDate] as! Date }

        // rerun: the done notes are left alone, the fourth resumes, the rest start
        let second = try fmevolve(arguments: args)
        #expect(second.status == 0, "\(second.stderr)")
        let lines = second.stderrLines
        for i in notes.indices {
            let n = BatchFixture.name(notes[i])
            let starts = lines.filter { $0.contains("] \(n): starting") }.count
            let resumes = lines.filter { $0.contains("] \(n): resuming") }.count
            #expect((starts, resumes) == (i < 3 ? (0, 0) : i == 3 ? (0, 1) : (1, 0)), "\(n): \(lines)")
        }
        #expect(try (0..<3).map { try fm.attributesOfItem(atPath: champion($0))[.modificationDate] as! Date } == doneBefore)
        for i in notes.indices {
            // one run per checkpoint, 300 generations: resumed, never restarted or run further
            let runs = try RunOutput.runs(checkpoint(i))
            #expect(runs.count == 1 && runs.first?.jsonInt("generations") == 300, "\(checkpoint(i)): \(runs)")
        }
        try BatchFixture.expectSameNotes(out, as: reference)
        #expect(second.stdout.contains("\(notes.count) of \(notes.count) notes done"), "\(second.stdout)")

        // a third run does no work
        let before = try snapshot(out)
        let third = try fmevolve(arguments: args)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(!third.stderr.contains("starting") && !third.stderr.contains("resuming"), "\(third.stderr)")
        #expect(try snapshot(out) == before)
        let csv = try String(contentsOfFile: "\(out)/batch-summary.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == notes.count + 1 && csv.dropFirst().allSatisfy { $0.contains(",done,") }, "\(csv)")
    }

    /// Each note's patch and render, and its checkpoint's generation count.
    private func snapshot(_ out: String) throws -> [String: String] {
        var files: [String: String] = [:]
        for f in try FileManager.default.contentsOfDirectory(atPath: out) where f.contains(".champion.") {
            let a = try FileManager.default.attributesOfItem(atPath: "\(out)/\(f)")
            files[f] = "\(a[.size]!) \(a[.modificationDate]!)"
        }
        for f in try FileManager.default.contentsOfDirectory(atPath: out) where f.hasSuffix(".sqlite") {
            files[f] = "\(try storedGenerations("\(out)/\(f)"))"
        }
        return files
    }
}
