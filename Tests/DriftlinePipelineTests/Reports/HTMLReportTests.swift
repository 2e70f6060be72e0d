import Foundation
import Testing

@testable import DriftlinePipeline

/// The report's renderer: escaping of everything that comes from data, the scales against
/// hand-computed values, points where the data puts them, and a plain sentence for every
/// section without data.
@Suite("HTML report")
struct HTMLReportTests {
    static let hostile = "<script>alert(1)</script>"
    static let hostileAttribute = "\"><img src=x onerror=alert(2)>'&"

    /// An hour from 2025-11-25 12:00 UTC in 60-second buckets.
    static func data() -> ReportData {
        var data = ReportData(
            from: 1_764_072_000, to: 1_764_075_600, bucketSeconds: 60, rangeLabel: "1h", generatedAt: 1_764_075_600)
        data.ttftP99 = [
            ReportSeries(
                name: hostile, points: [.init(time: 1_764_072_000, value: 420), .init(time: 1_764_072_060, value: 480)]),
            ReportSeries(name: "gpt-4o", points: [.init(time: 1_764_072_000, value: 900)]),
        ]
        data.traffic = [
            ReportSeries(name: "requests", points: [.init(time: 1_764_072_000, value: 100)]),
            ReportSeries(name: "errors", points: [.init(time: 1_764_072_000, value: 3)]),
        ]
        data.costByTeam = [
            ReportCost(team: hostileAttribute, costUSD: 12.5, requests: 10, unpricedRequests: 0),
            ReportCost(team: "", costUSD: nil, requests: 4, unpricedRequests: 4),
        ]
        data.psi = [
            ReportPSI(
                feature: "ttft", grouping: "model=" + hostile, psi: 0.31, severity: "major",
                currentStart: 1_764_074_000, currentEnd: 1_764_075_000, referenceCount: 10, currentCount: 12)
        ]
        data.driftEvents = [
            ReportDriftEvent(
                stream: "model=" + hostile, signal: "ttft", detector: "adwin", firstDetected: 1_764_074_100,
                detections: 3, meanBefore: 300, meanAfter: 900)
        ]
        data.alerts = [
            ReportAlert(
                at: 1_764_074_200, status: "firing", rule: hostileAttribute, severity: "page",
                labels: "model=" + hostile, summary: "p99 TTFT > 2 s for \(hostile) & more")
        ]
        return data
    }

    /// Every tag of the page is one the renderer writes, with attributes it writes: a name from
    /// data can add neither an element (`<script>`, `<img>`) nor an attribute (`onerror`).
    @Test func textFromDataNeverBecomesMarkup() throws {
        let html = HTMLReport.render(Self.data())
        let elements: Set = [
            "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "nav", "a",
            "section", "figure", "svg", "line", "text", "g", "polyline", "circle", "rect", "ul", "li", "span", "table",
            "thead", "tbody", "tr", "th", "td", "footer", "code",
        ]
        let attributes: Set = [
            "lang", "id", "charset", "http-equiv", "content", "name", "href", "class", "viewBox", "role", "aria-label",
            "x",
            "y", "x1", "x2", "y1", "y2", "text-anchor", "data-series", "data-bar", "fill", "stroke", "stroke-width",
            "stroke-dasharray", "points", "cx", "cy", "r", "width", "height", "style",
        ]
        let tag = try Regex(#"<(/?)([!A-Za-z][A-Za-z0-9-]*)([^>]*)>"#)
        let attribute = try Regex(#"([A-Za-z][A-Za-z0-9-]*)="[^"]*""#)
        var tags = 0
        for match in html.matches(of: tag) {
            tags += 1
            let name = String(match.output[2].substring ?? "")
            #expect(elements.contains(name), "unexpected element <\(name)>")
            let rest = String(match.output[3].substring ?? "")
            // Everything in a tag is name="value" pairs (or DOCTYPE's html): no bare words.
            let stripped = rest.replacing(attribute, with: "").trimmingCharacters(in: .whitespaces)
            #expect(stripped.isEmpty || stripped == "/" || name == "!DOCTYPE", "stray text in <\(name)\(rest)>")
            for pair in rest.matches(of: attribute) {
                let key = String(pair.output[1].substring ?? "")
                #expect(attributes.contains(key), "unexpected attribute \(key) in <\(name)>")
            }
        }
        #expect(tags > 100)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;&#39;&amp;"))
        // Outside tags, `<` never appears and `&` only starts an entity.
        let text = html.replacing(tag, with: "")
        #expect(!text.contains("<"))
        let entity = try Regex(#"&(amp|lt|gt|quot|#39);"#)
        #expect(!text.replacing(entity, with: "").contains("&"))
    }

    @Test func controlCharactersAreReplaced() {
        #expect(HTMLText.escape("a\u{0}b\u{1B}c\u{85}d\te\n") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\te\n")
        #expect(HTMLText.shortened("abcdef", to: 4) == "abc…")
        #expect(HTMLText.shortened("abcd", to: 4) == "abcd")
        // Cut before escaping: an entity is never split.
        #expect(HTMLText.escape(HTMLText.shortened("&&&&&&", to: 3)) == "&amp;&amp;…")
    }

    /// Heckbert's nice numbers, worked by hand: maximum 1234 → loose range 2000, step
    /// nice(2000 / 4 = 500) = 500, ticks to ⌈1234 / 500⌉ × 500.
    @Test func valueTicksAreNiceNumbersCoveringTheMaximum() {
        #expect(ChartScale.valueTicks(maximum: 1000) == [0, 200, 400, 600, 800, 1000])
        #expect(ChartScale.valueTicks(maximum: 1234) == [0, 500, 1000, 1500])
        #expect(ChartScale.valueTicks(maximum: 7) == [0, 2, 4, 6, 8])
        #expect(ChartScale.valueTicks(maximum: 1) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
        #expect(ChartScale.valueTicks(maximum: 0.37).last == 0.4)
        #expect(ChartScale.valueTicks(maximum: 0) == [0, 0.25, 0.5, 0.75, 1])
        #expect(ChartScale.valueTicks(maximum: .infinity) == [0, 0.25, 0.5, 0.75, 1])
        for maximum in [0.003, 0.31, 2.5, 99, 101, 4_999, 123_456_789.0] {
            let ticks = ChartScale.valueTicks(maximum: maximum)
            #expect(ticks.first == 0 && ticks.last! >= maximum, "\(maximum): \(ticks)")
            #expect((3...11).contains(ticks.count), "\(maximum): \(ticks)")
        }
    }

    @Test func timeTicksAreWholeStepsInsideTheRange() {
        let hour = ChartScale.timeTicks(from: 1_764_072_030, to: 1_764_075_630)
        #expect(hour.step == 600)
        #expect(hour.ticks == (1...6).map { 1_764_072_000 + Int64($0) * 600 })
        let week = ChartScale.timeTicks(from: 1_764_072_000, to: 1_764_072_000 + 7 * 86_400)
        #expect(week.step == 86_400)
        #expect(week.ticks.count == 7)
        #expect(ReportFormat.tick(1_764_072_600, step: 600, span: 3_600) == "12:10")
        #expect(ReportFormat.tick(1_764_072_000, step: 86_400, span: 7 * 86_400) == "11-25")
    }

    /// The civil-date arithmetic against Foundation's calendar over 150 years.
    @Test func utcTimesMatchFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var state: UInt64 = 11
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let seconds = Int64(state >> 33) % 4_733_510_400 - 1_000_000_000
            let c = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(seconds)))
            let expected = String(
                format: "%04d-%02d-%02d %02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
            #expect(ReportFormat.utc(seconds) == expected, "\(seconds)")
        }
    }

    /// Points where a linear map of the plot area puts them, computed here from the chart's
    /// margins: x from the range's start, y from zero at the bottom to the top tick.
    @Test func linePointsAreWhereTheDataPutsThem() throws {
        let series = [
            ReportSeries(
                name: "a",
                points: [
                    .init(time: 0, value: 250), .init(time: 60, value: 1000), .init(time: 120, value: 500),
                    // A gap of two buckets, then a lone point.
                    .init(time: 300, value: 0),
                ])
        ]
        let chart = SVGLineChart(
            series: series, from: 0, to: 600, bucketSeconds: 60, title: "t", valueText: { "\($0)" })
        let svg = chart.render()
        let left = 72.0
        let right = 960.0 - 16
        let top = 12.0
        let bottom = 300.0 - 36
        func expected(_ time: Double, _ value: Double) -> (Double, Double) {
            (left + time / 600 * (right - left), bottom - value / 1000 * (bottom - top))
        }
        let polylines = try svg.matches(of: Regex(#"<polyline [^>]*points="([^"]*)""#)).map {
            String($0.output[1].substring ?? "")
        }
        #expect(polylines.count == 1, "the lone point makes no line")
        let drawn = polylines[0].split(separator: " ").map { pair in
            pair.split(separator: ",").map { Double($0)! }
        }
        let want = [(0.0, 250.0), (60, 1000), (120, 500)].map { expected($0.0, $0.1) }
        #expect(drawn.count == want.count)
        for (point, target) in zip(drawn, want) {
            #expect(abs(point[0] - target.0) <= 0.05 && abs(point[1] - target.1) <= 0.05, "\(point) vs \(target)")
        }
        let circles = try svg.matches(of: Regex(#"<circle cx="([^"]*)" cy="([^"]*)""#)).map {
            (Double(String($0.output[1].substring ?? ""))!, Double(String($0.output[2].substring ?? ""))!)
        }
        #expect(circles.count == 4)
        let lone = expected(300, 0)
        #expect(abs(circles[3].0 - lone.0) <= 0.05 && abs(circles[3].1 - lone.1) <= 0.05)
        // Axis labels at the nice ticks.
        for tick in ["0.0", "200.0", "1000.0"] { #expect(svg.contains(">\(tick)</text>")) }
    }

    @Test func barsAreProportionalAndAnUnpricedTeamHasNoBar() throws {
        var data = ReportData(from: 0, to: 3_600, bucketSeconds: 60, rangeLabel: "1h", generatedAt: 3_600)
        data.costByTeam = [
            ReportCost(team: "core", costUSD: 40, requests: 10, unpricedRequests: 0),
            ReportCost(team: "growth", costUSD: 10, requests: 5, unpricedRequests: 1),
            ReportCost(team: "data", costUSD: nil, requests: 3, unpricedRequests: 3),
        ]
        let html = HTMLReport.cost(data)
        let widths = try html.matches(of: Regex(#"<rect [^>]*width="([^"]*)""#)).map {
            Double(String($0.output[1].substring ?? ""))!
        }
        // Ticks 0…40 by 10; the bar area is 960 − 240 − 110 = 610 pixels.
        #expect(widths == [610, 152.5])
        #expect(html.contains(">$40</text>"))
        #expect(html.contains("$10 (1 unpriced req.)"))
        #expect(html.contains(">unpriced (3 unpriced req.)</text>"))
    }

    @Test func everySectionSaysWhenItHasNoData() {
        let empty = ReportData(from: 0, to: 3_600, bucketSeconds: 60, rangeLabel: "1h", generatedAt: 3_600)
        var html = HTMLReport.render(empty)
        for sentence in [
            "No requests with a time to first token in this range.", "No requests in this range.",
            "No cost rows in this range", "No PSI evaluation in this range.",
            "No drift detected by the online detectors in this range.", "No alert fired or resolved in this range.",
        ] {
            #expect(html.contains(sentence), "\(sentence)")
        }
        #expect(!html.contains("<svg"))
        // A model with no TTFT in the range is no line either.
        var noPoints = empty
        noPoints.ttftP99 = [ReportSeries(name: "idle", points: [])]
        html = HTMLReport.render(noPoints)
        #expect(html.contains("No requests with a time to first token in this range."))
    }

    @Test func theLegendNamesEverySeriesInItsColour() throws {
        let names = (0..<12).map { "model-\($0)" }
        let chart = SVGLineChart(
            series: names.map { ReportSeries(name: $0, points: [.init(time: 0, value: 1)]) }, from: 0, to: 60,
            bucketSeconds: 60, title: "t", valueText: { "\($0)" })
        let items = try chart.render().matches(
            of: Regex(#"<li><span class="swatch( dashed)?" style="border-color:(#[0-9a-f]{6})"></span>([^<]*)</li>"#))
        #expect(items.map { String($0.output[3].substring ?? "") } == names)
        #expect(items.map { String($0.output[2].substring ?? "") } == names.indices.map(ChartPalette.color))
        #expect(items.map { $0.output[1].substring != nil } == names.indices.map { $0 >= 10 })
    }

    @Test func sinceAcceptsMinutesHoursAndDays() {
        #expect(ReportQuery.seconds(since: "15m") == 900)
        #expect(ReportQuery.seconds(since: "1h") == 3_600)
        #expect(ReportQuery.seconds(since: "24h") == 86_400)
        #expect(ReportQuery.seconds(since: "7d") == 604_800)
        for bad in ["", "h", "0h", "-1h", "1w", "1.5h", "99999999999999d", "1 h"] {
            #expect(ReportQuery.seconds(since: bad) == nil, "\(bad)")
        }
    }

    @Test func bucketsGiveAboutAHundredPointsAndNeverSplitAWindow() {
        #expect(ReportQuery.bucketSeconds(range: 900, windowSeconds: 10) == 10)
        #expect(ReportQuery.bucketSeconds(range: 900, windowSeconds: 60) == 60)
        #expect(ReportQuery.bucketSeconds(range: 3_600, windowSeconds: 10) == 30)
        #expect(ReportQuery.bucketSeconds(range: 86_400, windowSeconds: 60) == 900)
        #expect(ReportQuery.bucketSeconds(range: 604_800, windowSeconds: 60) == 7_200)
        #expect(ReportQuery.bucketSeconds(range: 3_600, windowSeconds: 45) == 45)
        #expect(ReportQuery.bucketSeconds(range: 86_400, windowSeconds: 7) == 903)
        #expect(ReportQuery.bucketSeconds(range: 3_600, windowSeconds: 0) == 30)
    }
}
