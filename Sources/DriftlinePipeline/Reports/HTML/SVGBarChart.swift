/// Horizontal bars as inline SVG: one labelled row per bar, a value axis from zero, and
/// optional guide lines (the PSI severity thresholds). A bar without a value shows its text
/// and no bar (a team none of whose requests were priced is not a team that spent 0).
struct SVGBarChart {
    struct Bar {
        var label: String
        var value: Double?
        var valueText: String
        var color: String
    }

    /// A dashed vertical line at a value (explained beside the chart).
    struct Guide {
        var value: Double
    }

    var bars: [Bar]
    var title: String
    var axisText: (Double) -> String
    var guides: [Guide] = []
    var width = 960.0

    static let labelWidth = 240.0
    static let valueWidth = 110.0
    static let rowHeight = 24.0
    static let top = 8.0
    static let axisHeight = 28.0

    var height: Double { Self.top + Double(bars.count) * Self.rowHeight + Self.axisHeight }

    var valueTicks: [Double] {
        let values = bars.compactMap(\.value).filter(\.isFinite) + guides.map(\.value)
        return ChartScale.valueTicks(maximum: values.max() ?? 0)
    }

    var scale: ChartScale {
        ChartScale(domain: 0...(valueTicks.last ?? 1), pixels: (Self.labelWidth, width - Self.valueWidth))
    }

    func render() -> String {
        let x = scale
        let bottom = height - Self.axisHeight
        var svg =
            "<svg class=\"chart\" viewBox=\"0 0 \(pixels(width)) \(pixels(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(title))\">\n"
        for tick in valueTicks {
            let px = pixels(x(tick))
            svg +=
                "<line class=\"grid\" x1=\"\(px)\" x2=\"\(px)\" y1=\"\(pixels(Self.top))\" y2=\"\(pixels(bottom))\"/>"
            svg +=
                "<text class=\"tick\" x=\"\(px)\" y=\"\(pixels(bottom + 18))\" text-anchor=\"middle\">\(HTMLText.escape(axisText(tick)))</text>\n"
        }
        for guide in guides {
            let px = pixels(x(guide.value))
            svg +=
                "<line class=\"guide\" x1=\"\(px)\" x2=\"\(px)\" y1=\"\(pixels(Self.top))\" y2=\"\(pixels(bottom))\"/>\n"
        }
        for (index, bar) in bars.enumerated() {
            let rowTop = Self.top + Double(index) * Self.rowHeight
            let textY = pixels(rowTop + Self.rowHeight / 2 + 4)
            svg += "<g class=\"bar\" data-bar=\"\(index)\">"
            svg +=
                "<text class=\"label\" x=\"\(pixels(Self.labelWidth - 8))\" y=\"\(textY)\" text-anchor=\"end\"><title>\(HTMLText.escape(bar.label))</title>\(HTMLText.escape(HTMLText.shortened(bar.label, to: 32)))</text>"
            var textX = Self.labelWidth + 4
            if let value = bar.value, value.isFinite {
                let barWidth = max(x(max(value, 0)) - Self.labelWidth, 0)
                svg +=
                    "<rect x=\"\(pixels(Self.labelWidth))\" y=\"\(pixels(rowTop + 4))\" width=\"\(pixels(barWidth))\" height=\"\(pixels(Self.rowHeight - 8))\" fill=\"\(bar.color)\"/>"
                textX = Self.labelWidth + barWidth + 4
            }
            svg +=
                "<text class=\"value\" x=\"\(pixels(textX))\" y=\"\(textY)\">\(HTMLText.escape(bar.valueText))</text></g>\n"
        }
        svg += "<line class=\"axis\" x1=\"\(pixels(Self.labelWidth))\" x2=\"\(pixels(width - Self.valueWidth))\" "
        svg += "y1=\"\(pixels(bottom))\" y2=\"\(pixels(bottom))\"/>\n</svg>\n"
        return "<figure>\n" + svg + "</figure>\n"
    }
}
