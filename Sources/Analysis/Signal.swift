/// Checks on a decoded signal before analysis.
public enum Signal {
    /// True when nothing is above -80 dBFS once the file's mean (DC offset) is removed.
    public static func isSilent(_ x: [Double]) -> Bool {
        guard !x.isEmpty else { return true }
        let mean = x.reduce(0, +) / Double(x.count)
        var peak = 0.0
        for v in x { peak = max(peak, abs(v - mean)) }
        return peak < AnalysisSettings.silentPeak
    }

    /// Shortest analysable target in samples: max(1024, 50 ms).
    public static func minimumLength(sampleRate: Int) -> Int {
        max(AnalysisSettings.minimumWindow, Int((AnalysisSettings.minimumTargetSeconds * Double(sampleRate)).rounded(.up)))
    }
}
