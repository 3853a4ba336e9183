import Checkpoint
import Export
import Foundation

/// Where each note of a batch stands, read from the output folder: the table `batch` prints and
/// the `batch-summary.csv` / `batch-summary.json` it writes there.
struct BatchSummary {
    struct Row {
        var note: BatchNote
        /// "done", "in progress", "not started" or "failed".
        var status: String
        var f0: Double?
        /// fmscore's err of the champion's render (the patch file's render_err).
        var err: Double?
        /// The fit's err on the tracks it matched.
        var fitErr: Double?
        /// Compute seconds of the note's match (search, checkpoint writes, refinement stage).
        var seconds: Double?
        var generation: Int?
        var message: String?
    }

    var rows: [Row]

    /// Reads every note's state from `out`; `failures` are this session's errors by note name.
    static func read(_ notes: [BatchNote], out: String, failures: [String: String] = [:]) -> BatchSummary {
        BatchSummary(rows: notes.map { note in
            let job = BatchFiles(note: note, out: out)
            var row = Row(note: note, status: "not started")
            let (seconds, generation) = progress(job.database)
            row.seconds = seconds; row.generation = generation
            if let patch = try? PatchFile.read(path: job.championPath) {
                row.status = "done"; row.f0 = patch.f0; row.err = patch.renderErr; row.fitErr = patch.err
            } else if let message = failures[note.name] {
                row.status = "failed"; row.message = message
            } else if job.isStarted {
                row.status = "in progress"
            }
            return row
        })
    }

    /// Compute seconds and generations stored in a note's checkpoint (nil: none yet).
    static func progress(_ database: String) -> (Double?, Int?) {
        guard FileManager.default.fileExists(atPath: database),
              let store = try? CheckpointStore(path: database, access: .read),
              let summary = try? store.summaries().last else { return (nil, nil) }
        let stage = (try? store.refinement(run: summary.run.id))??.record.computeSeconds ?? 0
        return (summary.computeSeconds + summary.writeSeconds + stage, summary.generations)
    }

    var done: Int { rows.filter { $0.status == "done" }.count }
    var failed: Int { rows.filter { $0.status == "failed" }.count }

    var table: String {
        var lines = ["note                             f0 Hz      err   fit err   time s  status"]
        for r in rows {
            let status = r.status == "in progress" ? "in progress (generation \(r.generation ?? 0))"
                       : r.message.map { "failed: \($0)" } ?? r.status
            lines.append(pad(r.note.name, 30) + " " + lpad(r.f0.map { fmt($0, 2) } ?? "–", 8) + " "
                         + lpad(r.err.map { fmt($0, 4) } ?? "–", 8) + " " + lpad(r.fitErr.map { fmt($0, 4) } ?? "–", 9) + " "
                         + lpad(r.seconds.map { fmt($0, 1) } ?? "–", 8) + "  " + status)
        }
        let errs = rows.compactMap(\.err)
        let mean = errs.isEmpty ? "" : ", mean err \(fmt(errs.reduce(0, +) / Double(errs.count), 4))"
        lines.append("\(done) of \(rows.count) notes done\(failed > 0 ? ", \(failed) failed" : "")\(mean)")
        return lines.joined(separator: "\n")
    }

    var csv: String {
        var lines = ["note,path,status,f0_hz,err,fit_err,seconds,generations"]
        for r in rows {
            lines.append([r.note.name, r.note.path, r.status, r.f0.map { "\($0)" } ?? "", r.err.map { "\($0)" } ?? "",
                          r.fitErr.map { "\($0)" } ?? "", r.seconds.map { "\($0)" } ?? "", r.generation.map { "\($0)" } ?? ""]
                .map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var json: String {
        let notes: [[String: Any]] = rows.map { r in
            ["note": r.note.name, "path": r.note.path, "status": r.status, "f0": r.f0 ?? NSNull(), "err": r.err ?? NSNull(),
             "fit_err": r.fitErr ?? NSNull(), "seconds": r.seconds ?? NSNull(), "generations": r.generation ?? NSNull(),
             "message": r.message ?? NSNull()]
        }
        let obj: [String: Any] = ["notes": notes, "done": done, "failed": failed, "total": rows.count]
        let data = (try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .prettyPrinted])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Writes batch-summary.csv and batch-summary.json into `out`.
    func write(to out: String) throws {
        for (name, text) in [("batch-summary.csv", csv), ("batch-summary.json", json)] {
            let path = (out as NSString).appendingPathComponent(name)
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                throw CLIError(description: "cannot write \(path)")
            }
        }
    }

    private func csvField(_ s: String) -> String {
        s.contains(where: { ",\"\n".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    private func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
}
