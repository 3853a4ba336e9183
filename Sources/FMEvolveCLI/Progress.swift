import Evolution
import Foundation

/// Per-generation progress on stderr: a line that rewrites itself on a terminal, plain lines
/// (at most one every `plainInterval` seconds, and the last generation) when stderr is a pipe or
/// a file, so that logs stay readable when generations take milliseconds.
final class Progress {
    let live: Bool
    let quiet: Bool
    let plainInterval: Double
    private var lastShown = -Double.infinity
    private var width = 0
    /// The newest generation not shown yet (skipped by the interval); `finishLine` shows it, so
    /// that the last line is always the last generation.
    private var pending: (stats: GenerationStats, elapsed: Double, evalsPerSecond: Double, remaining: Double?)?

    init(quiet: Bool, plainInterval: Double = 0.5) {
        live = isatty(STDERR_FILENO) == 1
        self.quiet = quiet
        self.plainInterval = plainInterval
    }

    /// `remaining`: seconds left, when known.
    func generation(_ s: GenerationStats, elapsed: Double, evalsPerSecond: Double, remaining: Double?, force: Bool = false) {
        if quiet { return }
        let interval = live ? 0.1 : plainInterval
        if !force && elapsed - lastShown < interval {
            pending = (s, elapsed, evalsPerSecond, remaining)
            return
        }
        pending = nil
        lastShown = elapsed
        var line = "gen \(s.generation)  best \(fmt(s.best, 5))  mean \(fmt(s.mean, 5))  \(rate(evalsPerSecond)) eval/s  \(fmt(elapsed, 1)) s"
        if let r = remaining { line += " / ETA \(fmt(max(r, 0), 1)) s" }
        if live {
            let padded = line + String(repeating: " ", count: max(0, width - line.count))
            width = line.count
            write("\r" + padded)
        } else {
            write(line + "\n")
        }
    }

    func message(_ text: String) {
        if quiet { return }
        finishLine()
        write(text + "\n")
    }

    /// Shows the last generation if the interval skipped it, and ends a live line.
    func finishLine() {
        if let p = pending {
            generation(p.stats, elapsed: p.elapsed, evalsPerSecond: p.evalsPerSecond, remaining: p.remaining, force: true)
        }
        if live && width > 0 { write("\n"); width = 0 }
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }

    private func rate(_ r: Double) -> String {
        r >= 1e6 ? fmt(r / 1e6, 2) + "M" : r >= 1e3 ? fmt(r / 1e3, 1) + "k" : fmt(r, 0)
    }
}
