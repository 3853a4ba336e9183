import FMSynthesis
import Foundation

/// A patch's pitch curve in a line: what `evolve`, `resume` and `render` tell a musician.
enum PitchSummary {
    /// "glide of 9 breakpoints, −40…+4 cents; vibrato 6.00 Hz ±15.0 cents from 0.02 s".
    static func text(_ c: PitchCurve) -> String {
        let g = c.glide.values
        var s = "glide of \(g.count) breakpoint\(g.count == 1 ? "" : "s"), \(cents(g.min() ?? 0))…\(cents(g.max() ?? 0)) cents"
        if let v = c.vibrato {
            s += "; vibrato \(fmt(v.rate, 2)) Hz ±\(fmt(v.typicalDepth, 1)) cents from \(fmt(v.onset, 2)) s"
        }
        return s
    }

    static func json(_ c: PitchCurve) -> [String: Any] {
        var o: [String: Any] = ["glide_breakpoints": c.glide.times.count,
                                "low_cents": c.glide.values.min() ?? 0, "high_cents": c.glide.values.max() ?? 0]
        if let v = c.vibrato {
            o["vibrato"] = ["rate_hz": v.rate, "depth_cents": v.typicalDepth, "onset_s": v.onset]
        }
        return o
    }

    static func cents(_ x: Double) -> String { (x >= 0 ? "+" : "−") + fmt(abs(x), 0) }
}
