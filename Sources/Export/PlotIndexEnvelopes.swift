import FMSynthesis

/// Dynamic FM in the plots: below the run's three plots, for each unit whose indices move, its
/// amplitude envelope (linear amplitude) and under it its index envelopes I1(t) and I2(t)
/// (radians), on the note's timeline (below the convergence plot, or in its place for a patch file) — the envelopes fmevolve renders, held before the first and
/// after the last breakpoint. A static patch gets nothing here (its plots stay as they were).
extension PlotExport {
    /// Vertical space (px) of one dynamic unit's two plots, with their titles and axis labels.
    static let unitBlockHeight = 360.0

    /// The units whose indices move.
    static func dynamicUnits(_ patch: Patch) -> [Int] {
        patch.indexEnvelopes.indices.filter { patch.indexEnvelopes[$0] != nil }
    }

    /// The envelope as drawn: its value at 0, its breakpoints inside the note, its value at the end.
    static func curve(_ e: Envelope, duration: Double) -> [(Double, Double)] {
        var points = [(0.0, e.value(at: 0))]
        for (t, v) in zip(e.times, e.values) where t > 0 && t < duration { points.append((t, v)) }
        points.append((duration, e.value(at: duration)))
        return points
    }

    /// Draws the plots of every dynamic unit from `top` (px) down.
    static func indexEnvelopePlots(_ svg: inout SVG, patch: Patch, duration: Double, top: Double) {
        let time = 0...max(duration, 1e-3)
        for (row, j) in dynamicUnits(patch).enumerated() {
            let y = top + Double(row) * unitBlockHeight
            let u = patch.units[j], moving = patch.modulation(j), envelope = patch.envelopes[j]
            let name = "Unit \(j + 1) (c=\(u.carrier), m1=\(u.modulator1), m2=\(u.modulator2), \(u.topology))"

            let amp = PlotArea(x: 80, y: y, width: 680, height: 110, xRange: time, yRange: 0...max(envelope.peak, 1e-12) * 1.1)
            amp.axes(&svg, title: "\(name): amplitude envelope", xLabel: "time (s)", yLabel: "amplitude")
            svg.polyline(curve(envelope, duration: duration).map { (amp.px($0.0), amp.py($0.1)) }, stroke: "#2ca02c", width: 1.6)
            svg.line(775, y + 12, 800, y + 12, stroke: "#2ca02c", width: 3)
            svg.text(806, y + 16, "a(t)", size: 11)

            let radians = PlotArea(x: 80, y: y + 180, width: 680, height: 110, xRange: time,
                                   yRange: 0...max(moving.peak, 1e-3) * 1.1)
            radians.axes(&svg, title: "\(name): modulation indices", xLabel: "time (s)", yLabel: "index (rad)")
            for (k, (e, color)) in [(moving.index1, "#1f77b4"), (moving.index2, "#d62728")].enumerated() {
                svg.polyline(curve(e, duration: duration).map { (radians.px($0.0), radians.py($0.1)) }, stroke: color, width: 1.6,
                             dashed: k == 1)
                let ly = y + 192 + Double(k) * 19
                svg.line(775, ly, 800, ly, stroke: color, width: 3)
                svg.text(806, ly + 4, "I\(k + 1)(t)", size: 11)
            }
        }
    }
}
