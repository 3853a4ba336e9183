import Analysis
import Checkpoint
import FMSynthesis
import Foundation

/// The plots people look at instead of reading numbers, as one SVG: target and match harmonic
/// amplitudes over time (first 12 harmonics), the spectrum of the loudest frame (target and match
/// bars), and the convergence of the run (best and mean err per generation); for a dynamic patch,
/// each moving unit's amplitude and index envelopes below them (PlotIndexEnvelopes.swift).
enum PlotExport {
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                          "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a"]

    /// `target`, `match`: harmonic tracks (frames × K) on the same frames; `history`: the run's
    /// generations (nil for a patch file); `patch`: the patch whose index envelopes are drawn
    /// over `duration` (s) when some of its units are dynamic.
    static func svg(name: String, analysis a: TargetAnalysis, match: [Double], err: Double,
                    history: [GenerationRecord]?, patch: Patch? = nil, duration: Double = 0) -> String {
        let K = a.harmonicCount, T = a.frameCount
        // dynamic units' plots: below the convergence plot, or in its place (a patch file has no run)
        let dynamic = patch.map { dynamicUnits($0).count } ?? 0
        let unitsTop = history == nil ? 830.0 : 1130.0
        var svg = SVG(width: 900, height: dynamic == 0 ? 1130 : unitsTop + Double(dynamic) * unitBlockHeight)
        svg.text(450, 28, "fmevolve: \(name) — f0 \(String(format: "%.2f", a.f0)) Hz, err \(String(format: "%.4f", err))",
                 size: 16, anchor: "middle", weight: "bold")
        let peak = max(a.amplitudes.max() ?? 0, 1e-12)
        func db(_ v: Double) -> Double { 20 * log10(max(v, 1e-12) / peak) }

        // 1. harmonic amplitudes over time
        let shown = min(12, K)
        let p1 = PlotArea(x: 80, y: 70, width: 680, height: 260, xRange: 0...max(a.duration, 1e-3), yRange: -60...0)
        p1.axes(&svg, title: "Harmonic amplitudes over time (solid: target, dashed: match)", xLabel: "time (s)",
                yLabel: "level (dB re loudest harmonic)")
        for k in 0..<shown {
            let color = palette[k % palette.count]
            let times = (0..<T).map { a.frameTime($0) }
            svg.polyline((0..<T).map { (p1.px(times[$0]), p1.py(db(a.amplitudes[$0 * K + k]))) }, stroke: color, width: 1.4)
            svg.polyline((0..<T).map { (p1.px(times[$0]), p1.py(db(match[$0 * K + k]))) }, stroke: color, width: 1.4, dashed: true)
            svg.line(775, 82 + Double(k) * 19, 800, 82 + Double(k) * 19, stroke: color, width: 3)
            svg.text(806, 86 + Double(k) * 19, "harmonic \(k + 1)", size: 11)
        }

        // 2. spectrum of the loudest frame
        let loudest = a.frameRMS.indices.max { a.frameRMS[$0] < a.frameRMS[$1] } ?? 0
        let bars = min(K, 40)
        let p2 = PlotArea(x: 80, y: 420, width: 680, height: 260, xRange: 0.5...(Double(bars) + 0.5), yRange: -80...0)
        p2.axes(&svg, title: "Spectrum at the loudest frame (t = \(String(format: "%.3f", a.frameTime(loudest))) s)",
                xLabel: "harmonic number", yLabel: "level (dB re loudest harmonic)",
                xTicks: PlotArea.ticks(1...Double(bars)).filter { $0 >= 1 })
        let slot = 680 / Double(bars)
        for k in 0..<bars {
            let x0 = p2.px(Double(k + 1)) - slot * 0.4
            let t = db(a.amplitudes[loudest * K + k]), m = db(match[loudest * K + k])
            svg.rect(x0, p2.py(t), slot * 0.4, p2.py(-80) - p2.py(t), fill: "#1f77b4")
            svg.rect(x0 + slot * 0.4, p2.py(m), slot * 0.4, p2.py(-80) - p2.py(m), fill: "#ff7f0e")
        }
        svg.rect(775, 432, 14, 14, fill: "#1f77b4"); svg.text(795, 444, "target", size: 11)
        svg.rect(775, 452, 14, 14, fill: "#ff7f0e"); svg.text(795, 464, "match", size: 11)

        // 3. convergence
        if let h = history, let last = h.last {
            let top = min(1.0, max(h.map(\.best).max() ?? 1, 0.05) * 1.1)
            let p3 = PlotArea(x: 80, y: 770, width: 680, height: 260, xRange: 0...Double(max(last.generation, 1)), yRange: 0...top)
            p3.axes(&svg, title: "Convergence (best and mean err per generation)", xLabel: "generation",
                    yLabel: "relative spectral error")
            svg.polyline(h.map { (p3.px(Double($0.generation)), p3.py($0.mean)) }, stroke: "#999", width: 1, dashed: true)
            svg.polyline(h.map { (p3.px(Double($0.generation)), p3.py($0.best)) }, stroke: "#d62728", width: 2)
            svg.line(775, 789, 800, 789, stroke: "#d62728", width: 3); svg.text(806, 793, "best", size: 11)
            svg.line(775, 808, 800, 808, stroke: "#999", width: 2); svg.text(806, 812, "mean", size: 11)
        } else {
            svg.text(80, 780, "Convergence: not available (exported from a patch file, not a checkpoint).", size: 13)
        }

        // 4. index envelopes of the dynamic units
        if let patch, dynamic > 0 { indexEnvelopePlots(&svg, patch: patch, duration: duration, top: unitsTop) }
        return svg.document(title: "fmevolve match of \(name)")
    }
}
