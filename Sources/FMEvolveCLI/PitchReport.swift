import Analysis
import Foundation

/// How `analyze` reports a note's pitch movement (PitchMovement).
enum PitchReport {
    /// One line: steady, or how far it moves, with the vibrato and the scoop when there are.
    static func line(_ p: PitchMovement) -> String {
        var parts = [p.deviation < 1 ? "steady (\(fmt(p.deviation, 1)) cents RMS)"
                     : "moves \(fmt(p.deviation, 1)) cents RMS (\(signed(p.low - p.median))…\(signed(p.high - p.median)) cents about the held pitch)"]
        if let v = p.vibrato {
            parts.append("vibrato \(fmt(v.rate, 2)) Hz ±\(fmt(v.depth, 1)) cents from \(fmt(v.onset, 2)) s")
        }
        if let s = p.scoop {
            parts.append("attack scoop from \(signed(s.cents)) cents, settled after \(fmt(s.settle * 1000, 0)) ms")
        }
        return parts.joined(separator: "; ")
    }

    /// The `pitch` object of `analyze --json`: the track f0(t) (Hz per frame, null where the
    /// note is silent or unpitched) and the summary, cents relative to f0.
    static func json(_ p: PitchMovement, f0: Double) -> [String: Any] {
        [
            "frame_seconds": p.frameSeconds,
            "f0_track": p.cents.map { $0.isFinite ? f0 * pow(2, $0 / 1200) as Any : NSNull() },
            "deviation_cents": p.deviation,
            "median_cents": p.median, "low_cents": p.low, "high_cents": p.high,
            "vibrato": p.vibrato.map { ["rate_hz": $0.rate, "depth_cents": $0.depth, "onset_s": $0.onset] as Any } ?? NSNull(),
            "scoop": p.scoop.map { ["cents": $0.cents, "settle_s": $0.settle] as Any } ?? NSNull(),
        ]
    }

    static func signed(_ c: Double) -> String { (c >= 0 ? "+" : "−") + fmt(abs(c), 1) }
}
