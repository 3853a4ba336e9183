import Foundation
import Testing
import TestSupport

/// The SVG of a dynamic patch shows, for each unit whose indices move, its amplitude envelope and
/// below it I1(t) and I2(t) on a radians axis; the plots are read back as a person would, through
/// their axis tick labels, and must trace DynamicPatch's index envelopes. A static patch's SVG has
/// none of this.
@Suite struct DynamicPlotExportTests {
    /// An SVG element: its tag, attributes and text.
    struct Element {
        var tag: String, attributes: [String: String], text: String
        func number(_ name: String) -> Double? { attributes[name].flatMap(Double.init) }
    }

    static func elements(_ svg: String) throws -> [Element] {
        let tag = try NSRegularExpression(pattern: #"<(\w+)((?:\s+[\w:-]+="[^"]*")*)\s*(?:/>|>([^<]*)</\1>)"#)
        let attribute = try NSRegularExpression(pattern: #"([\w:-]+)="([^"]*)""#)
        let ns = svg as NSString
        return tag.matches(in: svg, range: NSRange(location: 0, length: ns.length)).map { m in
            let attrs = ns.substring(with: m.range(at: 2)) as NSString
            var dict = [String: String]()
            for a in attribute.matches(in: attrs as String, range: NSRange(location: 0, length: attrs.length)) {
                dict[attrs.substring(with: a.range(at: 1))] = attrs.substring(with: a.range(at: 2))
            }
            let text = m.range(at: 3).location == NSNotFound ? "" : ns.substring(with: m.range(at: 3))
            return Element(tag: ns.substring(with: m.range(at: 1)), attributes: dict, text: text)
        }
    }

    /// A linear map from two (pixel, value) pairs of tick labels.
    static func axis(_ ticks: [(pixel: Double, value: Double)]) throws -> (Double) -> Double {
        let a = try #require(ticks.min { $0.value < $1.value }), b = try #require(ticks.max { $0.value < $1.value })
        try #require(b.value > a.value, "one tick label: \(ticks)")
        return { p in a.value + (p - a.pixel) / (b.pixel - a.pixel) * (b.value - a.value) }
    }

    /// The curve a plot should show: the value at 0, the breakpoints inside the note, the value at
    /// the end (held before the first and after the last breakpoint).
    static func expected(_ points: [[Double]], duration: Double) -> [(Double, Double)] {
        func value(_ t: Double) -> Double {
            if t <= points[0][0] { return points[0][1] }
            guard let i = points.lastIndex(where: { $0[0] <= t }), i + 1 < points.count else { return points.last![1] }
            return points[i][1] + (t - points[i][0]) / (points[i + 1][0] - points[i][0]) * (points[i + 1][1] - points[i][1])
        }
        return [(0, value(0))] + points.filter { $0[0] > 0 && $0[0] < duration }.map { ($0[0], $0[1]) } + [(duration, value(duration))]
    }

    @Test func eachDynamicUnitHasItsIndexEnvelopesInRadians() throws {
        let dir = try DynamicPatchFixture.shared.exported()
        let svg = try String(contentsOfFile: "\(dir)/out/dynamic-A4.svg", encoding: .utf8)
        let all = try Self.elements(svg)
        let duration = Double(DynamicPatch.samples) / Double(DynamicPatch.sampleRate)
        let titles = all.filter { $0.tag == "text" && $0.text.hasSuffix(": modulation indices") }.map(\.text)
        #expect(titles == ["Unit 1 (c=1, m1=1, m2=2, parallel): modulation indices",
                           "Unit 2 (c=2, m1=3, m2=5, cascade): modulation indices"], "\(titles)")
        #expect(all.filter { $0.tag == "text" && $0.text.hasSuffix(": amplitude envelope") }.count == 2)
        for (unit, envelopes) in DynamicPatch.indexEnvelopes.enumerated() {
            let title = try #require(all.firstIndex { $0.tag == "text" && $0.text.hasPrefix("Unit \(unit + 1) (") && $0.text.hasSuffix("indices") })
            // axes() draws the frame, the ticks and labels, then the title; the curves follow
            let frameAt = try #require(all[..<title].lastIndex { $0.tag == "rect" && $0.attributes["fill"] == "none" })
            let frame = all[frameAt]
            let top = try #require(frame.number("y")), bottom = top + (try #require(frame.number("height")))
            let labels = all[frameAt..<title].filter { $0.tag == "text" }
            #expect(labels.contains { $0.text == "index (rad)" }, "unit \(unit + 1): no radians axis")
            let yTicks = labels.filter { $0.attributes["text-anchor"] == "end" }.compactMap { l in
                Double(l.text).map { (pixel: l.number("y")! - 4, value: $0) }
            }
            let xTicks = labels.filter { $0.attributes["text-anchor"] == "middle" && $0.number("y") == bottom + 16 }.compactMap { l in
                Double(l.text).map { (pixel: l.number("x")!, value: $0) }
            }
            let radians = try Self.axis(yTicks), seconds = try Self.axis(xTicks)
            let after = all[title...].prefix { !($0.tag == "rect" && $0.attributes["fill"] == "none") }
            for (name, color, points) in [("I1", "#1f77b4", envelopes.index1), ("I2", "#d62728", envelopes.index2)] {
                #expect(after.contains { $0.tag == "text" && $0.text == "\(name)(t)" }, "unit \(unit + 1): no \(name) legend")
                let line = try #require(after.first { $0.tag == "polyline" && $0.attributes["stroke"] == color }, "unit \(unit + 1) \(name)")
                let drawn = try #require(line.attributes["points"]).split(separator: " ").map { pair in
                    let xy = pair.split(separator: ",").compactMap { Double($0) }
                    return (seconds(xy[0]), radians(xy[1]))
                }
                let want = Self.expected(points, duration: duration)
                try #require(drawn.count == want.count, "unit \(unit + 1) \(name): \(drawn) for \(want)")
                for (d, w) in zip(drawn, want) {
                    #expect(abs(d.0 - w.0) <= 1e-3 && abs(d.1 - w.1) <= 1e-3, "unit \(unit + 1) \(name): drawn \(d), want \(w)")
                }
            }
        }
    }

    /// The same units without index envelopes: the three plots of a static patch, nothing more.
    @Test func aStaticPatchLooksAsBefore() throws {
        let dir = try DynamicPatchFixture.shared.exported(), out = try DynamicPatchFixture.shared.scratch("svg")
        let x = try fmevolve("export", "\(dir)/static-A4.json", "--format", "svg", "--out", out)
        try #require(x.status == 0, "\(x.stderr)")
        let all = try Self.elements(try String(contentsOfFile: "\(out)/dynamic-A4.svg", encoding: .utf8))
        let canvas = try #require(all.first { $0.tag == "rect" && $0.attributes["fill"] == "white" })
        #expect(canvas.number("height") == 1130)
        #expect(!all.contains { $0.tag == "text" && ($0.text.contains("indices") || $0.text.contains("rad")) })
        #expect(all.filter { $0.tag == "rect" && $0.attributes["fill"] == "none" }.count == 2)   // harmonics, spectrum
    }
}
