import Foundation

/// A minimal SVG 1.1 document builder (plots only need lines, rectangles and text).
package struct SVG {
    let width: Double
    let height: Double
    private(set) var body: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#333", width w: Double = 1) {
        body.append("<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(f(w))\"/>")
    }

    /// The points of a line with x in pixels, at most four per pixel column: the first, the
    /// lowest, the highest and the last, in order, so that a line of 20,000 generations draws
    /// the same and the file stays small.
    package static func perPixel(_ points: [(Double, Double)]) -> [(Double, Double)] {
        var out = [(Double, Double)]()
        var i = 0
        while i < points.count {
            let column = points[i].0.rounded(.down)
            var j = i
            var low = i, high = i
            while j < points.count && points[j].0.rounded(.down) == column {
                if points[j].1 < points[low].1 { low = j }
                if points[j].1 > points[high].1 { high = j }
                j += 1
            }
            for k in Set([i, low, high, j - 1]).sorted() { out.append(points[k]) }
            i = j
        }
        return out
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width w: Double = 1.5, dashed: Bool = false) {
        guard points.count > 1 else { return }
        let p = Self.perPixel(points).map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
        let dash = dashed ? " stroke-dasharray=\"5,3\"" : ""
        body.append("<polyline points=\"\(p)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(f(w))\"\(dash)/>")
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil) {
        let s = stroke.map { " stroke=\"\($0)\"" } ?? ""
        body.append("<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(max(w, 0)))\" height=\"\(f(max(h, 0)))\" fill=\"\(fill)\"\(s)/>")
    }

    mutating func text(_ x: Double, _ y: Double, _ s: String, size: Double = 12, anchor: String = "start",
                       weight: String = "normal", rotate: Double? = nil) {
        let r = rotate.map { " transform=\"rotate(\(f($0)) \(f(x)) \(f(y)))\"" } ?? ""
        body.append("<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(f(size))\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\"\(r)>\(escape(s))</text>")
    }

    mutating func raw(_ element: String) { body.append(element) }

    func document(title: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(f(width))" height="\(f(height))" \
        viewBox="0 0 \(f(width)) \(f(height))" font-family="Helvetica, Arial, sans-serif">
        <title>\(escape(title))</title>
        <rect x="0" y="0" width="\(f(width))" height="\(f(height))" fill="white"/>
        \(body.joined(separator: "\n"))
        </svg>

        """
    }

    private func f(_ x: Double) -> String { String(format: "%.2f", x) }
}

/// XML text escaping.
func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}

/// A plotting area with data ranges, axes, ticks and labels.
struct PlotArea {
    let x: Double, y: Double, width: Double, height: Double
    let xRange: ClosedRange<Double>, yRange: ClosedRange<Double>

    func px(_ v: Double) -> Double {
        x + (min(max(v, xRange.lowerBound), xRange.upperBound) - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * width
    }
    func py(_ v: Double) -> Double {
        y + height - (min(max(v, yRange.lowerBound), yRange.upperBound) - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * height
    }

    /// Frame, ticks with labels, axis titles and the plot title.
    func axes(_ svg: inout SVG, title: String, xLabel: String, yLabel: String, xTicks: [Double]? = nil) {
        svg.rect(x, y, width, height, fill: "none", stroke: "#333")
        for t in xTicks ?? Self.ticks(xRange) {
            svg.line(px(t), y + height, px(t), y + height + 4)
            svg.line(px(t), y, px(t), y + height, stroke: "#eee")
            svg.text(px(t), y + height + 16, Self.label(t), size: 11, anchor: "middle")
        }
        for t in Self.ticks(yRange) {
            svg.line(x - 4, py(t), x, py(t))
            svg.line(x, py(t), x + width, py(t), stroke: "#eee")
            svg.text(x - 7, py(t) + 4, Self.label(t), size: 11, anchor: "end")
        }
        svg.text(x + width / 2, y + height + 34, xLabel, size: 12, anchor: "middle")
        svg.text(x - 46, y + height / 2, yLabel, size: 12, anchor: "middle", rotate: -90)
        svg.text(x, y - 10, title, size: 14, weight: "bold")
    }

    /// About five round ticks (steps of 1, 2 or 5 × 10ⁿ) inside a range.
    static func ticks(_ r: ClosedRange<Double>) -> [Double] {
        let span = r.upperBound - r.lowerBound
        guard span > 0 else { return [r.lowerBound] }
        let raw = span / 5
        let mag = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        var out = [Double]()
        var t = (r.lowerBound / step).rounded(.up) * step
        while t <= r.upperBound + step * 1e-9 {
            out.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return out
    }

    static func label(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
        let s = String(format: "%.3g", v)
        return s
    }
}
