import Analysis
import Foundation

/// How `analyze` and `evolve` say how harmonic a recording is (Harmonicity).
enum HarmonicityReport {
    /// The `harmonic` line of `analyze`.
    static func line(_ h: Harmonicity) -> String {
        let share = "\(fmt(100 * h.share, 1)) % of the power at harmonics of f0"
            + (h.alongPitch.map { ", \(fmt(100 * $0, 1)) % along its pitch curve" } ?? "")
        guard !h.isHarmonicEnough else { return share }
        return share + ": not harmonic enough for integer-ratio FM" + (h.partials.isEmpty ? "" : "; other partials " + partials(h))
    }

    /// The one line on stderr for a recording that is not harmonic enough (nil when it is).
    /// `inharmonic`: the mode `evolve` uses for it (true unless --harmonic).
    static func notice(_ name: String, _ h: Harmonicity, f0: Double, inharmonic: Bool) -> String? {
        guard !h.isHarmonicEnough else { return nil }
        let others = h.partials.isEmpty ? "" : " (partials between them: \(partials(h, count: 3)))"
        let what = inharmonic
            ? "fmevolve matches it in the inharmonic mode (non-integer ratios, err on semitone bands; --harmonic for harmonics only)"
            : "--harmonic matches the harmonics only, so err does not see the rest — judge the match by err_bands"
        let along = h.alongPitch.map { " (\(fmt(100 * $0, 0)) % along its pitch curve)" } ?? ""
        return "note: \(name) is not harmonic: \(fmt(100 * h.share, 0)) % of its power lies at harmonics of "
            + "\(fmt(f0, 1)) Hz\(along)\(others); \(what)"
    }

    static func partials(_ h: Harmonicity, count: Int = Harmonicity.maxPartials) -> String {
        h.partials.prefix(count).map { "\(fmt($0.hz, 0)) Hz (\(fmt($0.ratio, 2)) f0, \(fmt($0.db, 0)) dB)" }.joined(separator: ", ")
    }

    static func json(_ h: Harmonicity) -> [String: Any] {
        ["share": h.share, "harmonic_enough": h.isHarmonicEnough, "along_pitch": h.alongPitch ?? NSNull(),
         "partials": h.partials.map { ["hz": $0.hz, "ratio": $0.ratio, "db": $0.db] as [String: Any] }]
    }
}
