/// A time chart of lines as inline SVG with an HTML legend. Points are at bucket starts; a gap
/// of more than one bucket breaks a line, and a point with no neighbour is drawn as a dot.
struct SVGLineChart {
    var series: [ReportSeries]
    var from: Int64
    var to: Int64
    var bucketSeconds: Int64
    /// Describes the chart for screen readers.
    var title: String
    var valueText: (Double) -> String
    var width = 960.0
    var height = 300.0

    static let margin = (left: 72.0, right: 16.0, top: 12.0, bottom: 36.0)

    var xScale: ChartScale {
        ChartScale(
            domain: Double(from)...Double(max(to, from + 1)), pixels: (Self.margin.left, width - Self.margin.right))
    }

    var valueTicks: [Double] {
        ChartScale.valueTicks(maximum: series.flatMap(\.points).map(\.value).filter(\.isFinite).max() ?? 0)
    }

    var yScale: ChartScale {
        ChartScale(
            domain: 0...(valueTicks.last ?? 1), pixels: (height - Self.margin.bottom, Self.margin.top))
    }

    /// Runs of points no more than one bucket apart.
    func segments(_ points: [ReportSeries.Point]) -> [[ReportSeries.Point]] {
        var result: [[ReportSeries.Point]] = []
        for point in points where point.value.isFinite {
            if let last = result.last?.last, point.time - last.time <= bucketSeconds {
                result[result.count - 1].append(point)
            } else {
                result.append([point])
            }
        }
        return result
    }

    func render() -> String {
        let x = xScale
        let y = yScale
        let left = Self.margin.left
        let right = width - Self.margin.right
        let bottom = height - Self.margin.bottom
        var svg =
            "<svg class=\"chart\" viewBox=\"0 0 \(pixels(width)) \(pixels(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(title))\">\n"
        for tick in valueTicks {
            svg +=
                "<line class=\"grid\" x1=\"\(pixels(left))\" x2=\"\(pixels(right))\" y1=\"\(pixels(y(tick)))\" y2=\"\(pixels(y(tick)))\"/>"
            svg +=
                "<text class=\"tick\" x=\"\(pixels(left - 6))\" y=\"\(pixels(y(tick) + 4))\" text-anchor=\"end\">\(HTMLText.escape(valueText(tick)))</text>\n"
        }
        let time = ChartScale.timeTicks(from: from, to: to)
        for tick in time.ticks {
            let px = pixels(x(Double(tick)))
            svg +=
                "<line class=\"axis\" x1=\"\(px)\" x2=\"\(px)\" y1=\"\(pixels(bottom))\" y2=\"\(pixels(bottom + 5))\"/>"
            svg +=
                "<text class=\"tick\" x=\"\(px)\" y=\"\(pixels(bottom + 18))\" text-anchor=\"middle\">\(ReportFormat.tick(tick, step: time.step, span: to - from))</text>\n"
        }
        svg +=
            "<line class=\"axis\" x1=\"\(pixels(left))\" x2=\"\(pixels(right))\" y1=\"\(pixels(bottom))\" y2=\"\(pixels(bottom))\"/>\n"
        for (index, line) in series.enumerated() {
            let color = ChartPalette.color(index)
            let dash = ChartPalette.dash(index).map { " stroke-dasharray=\"\($0)\"" } ?? ""
            let name = HTMLText.escape(line.name)
            svg += "<g class=\"series\" data-series=\"\(index)\">"
            for segment in segments(line.points) where segment.count > 1 {
                let points = segment.map { "\(pixels(x(Double($0.time)))),\(pixels(y($0.value)))" }.joined(
                    separator: " ")
                svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dash) points=\"\(points)\"/>"
            }
            for point in line.points where point.value.isFinite {
                svg +=
                    "<circle cx=\"\(pixels(x(Double(point.time))))\" cy=\"\(pixels(y(point.value)))\" r=\"2.5\" fill=\"\(color)\"><title>\(name) · \(ReportFormat.utc(point.time)) · \(HTMLText.escape(valueText(point.value)))</title></circle>"
            }
            svg += "</g>\n"
        }
        svg += "</svg>\n"
        return "<figure>\n" + svg + Self.legend(series.map(\.name)) + "</figure>\n"
    }

    static func legend(_ names: [String]) -> String {
        var html = "<ul class=\"legend\">"
        for (index, name) in names.enumerated() {
            let style = ChartPalette.dash(index) == nil ? "" : " dashed"
            html +=
                "<li><span class=\"swatch\(style)\" style=\"border-color:\(ChartPalette.color(index))\"></span>\(HTMLText.escape(HTMLText.shortened(name, to: 80)))</li>"
        }
        return html + "</ul>\n"
    }
}

/// Pixels with one decimal: enough for a 960-pixel chart, short in the file.
func pixels(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let tenths = (value * 10).rounded()
    let whole = Int64(tenths) / 10
    let fraction = abs(Int64(tenths) % 10)
    if fraction == 0 { return "\(Int64(tenths) / 10)" }
    return (tenths < 0 && whole == 0 ? "-" : "") + "\(whole).\(fraction)"
}
