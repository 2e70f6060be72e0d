import DriftlineStats

/// `driftline report` as one self-contained HTML page: inline CSS and inline SVG, no script,
/// no font, no request of any kind (its Content-Security-Policy forbids them, so that even a
/// page edited by hand or a missed escape cannot load or run anything). Pure: the same data
/// gives the same bytes.
public enum HTMLReport {
    /// Rows of the drift and alert tables at most; the page says how many more there were.
    public static let tableLimit = 100

    public static func render(_ data: ReportData) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Driftline report, last \(HTMLText.escape(data.rangeLabel))</title>
            <style>\(style)</style>
            </head>
            <body>
            <header>
            <h1>Driftline report, last \(HTMLText.escape(data.rangeLabel))</h1>
            <p>Windows starting from \(ReportFormat.utc(data.from)) to \(ReportFormat.utc(data.to)) UTC, \
            in buckets of \(duration(data.bucketSeconds)). Generated \(ReportFormat.utc(data.generatedAt)) UTC \
            from PostgreSQL.</p>
            <nav><a href="#latency">Latency</a> · <a href="#traffic">Traffic</a> · <a href="#cost">Cost</a> · \
            <a href="#drift">Drift</a> · <a href="#alerts">Alerts</a></nav>
            </header>

            """
        html += latency(data) + traffic(data) + cost(data) + drift(data) + alerts(data)
        html += "<footer>Driftline · <code>driftline report</code></footer>\n</body>\n</html>\n"
        return html
    }

    static func latency(_ data: ReportData) -> String {
        var html = "<section id=\"latency\">\n<h2>p99 time to first token per model</h2>\n"
        guard data.ttftP99.contains(where: { !$0.points.isEmpty }) else {
            return html + empty("No requests with a time to first token in this range.") + "</section>\n"
        }
        html +=
            SVGLineChart(
                series: data.ttftP99, from: data.from, to: data.to, bucketSeconds: data.bucketSeconds,
                title: "p99 time to first token per model", valueText: ReportFormat.milliseconds
            ).render()
        if data.modelsNotShown > 0 {
            html += note("\(data.modelsNotShown) more models with fewer requests are not shown.")
        }
        return html + "</section>\n"
    }

    static func traffic(_ data: ReportData) -> String {
        var html = "<section id=\"traffic\">\n<h2>Requests and errors</h2>\n"
        guard data.traffic.contains(where: { !$0.points.isEmpty }) else {
            return html + empty("No requests in this range.") + "</section>\n"
        }
        let totals = data.traffic.map { series in
            "\(HTMLText.escape(series.name)): \(ReportFormat.number(series.points.reduce(0) { $0 + $1.value }))"
        }
        html += "<p>Per bucket of \(duration(data.bucketSeconds)); in total \(totals.joined(separator: ", ")).</p>\n"
        html +=
            SVGLineChart(
                series: data.traffic, from: data.from, to: data.to, bucketSeconds: data.bucketSeconds,
                title: "requests and errors per bucket", valueText: { ReportFormat.number($0) }
            ).render()
        return html + "</section>\n"
    }

    static func cost(_ data: ReportData) -> String {
        var html = "<section id=\"cost\">\n<h2>Cost by team</h2>\n"
        guard !data.costByTeam.isEmpty else {
            return html + empty("No cost rows in this range (is a price catalogue configured?).") + "</section>\n"
        }
        let bars = data.costByTeam.enumerated().map { index, row in
            let unpriced = row.unpricedRequests > 0 ? " (\(row.unpricedRequests) unpriced req.)" : ""
            return SVGBarChart.Bar(
                label: row.team.isEmpty ? "(no team)" : row.team, value: row.costUSD,
                valueText: (row.costUSD.map(ReportFormat.dollars) ?? "unpriced") + unpriced,
                color: ChartPalette.color(index))
        }
        html +=
            SVGBarChart(bars: bars, title: "cost by team in US dollars", axisText: ReportFormat.dollars).render()
        if data.teamsNotShown > 0 { html += note("\(data.teamsNotShown) more teams with less spend are not shown.") }
        return html + "</section>\n"
    }

    static func drift(_ data: ReportData) -> String {
        var html = "<section id=\"drift\">\n<h2>Drift</h2>\n<h3>PSI, latest evaluation per feature and grouping</h3>\n"
        if data.psi.isEmpty {
            html += empty("No PSI evaluation in this range.")
        } else {
            let shown = Array(data.psi.prefix(tableLimit))
            let bars = shown.map { row in
                SVGBarChart.Bar(
                    label: row.feature + " · " + (row.grouping.isEmpty ? "all traffic" : row.grouping), value: row.psi,
                    valueText: ReportFormat.number(row.psi, decimals: 3) + " " + row.severity,
                    color: ChartPalette.severity[row.severity] ?? "#bab0ac")
            }
            html +=
                SVGBarChart(
                    bars: bars, title: "population stability index per feature and grouping",
                    axisText: { ReportFormat.number($0) },
                    guides: [PSIThresholds.default.minor, PSIThresholds.default.major].map { .init(value: $0) }
                ).render()
            html += note(
                "Dashed lines: PSI \(ReportFormat.number(PSIThresholds.default.minor)) (minor shift) and "
                    + "\(ReportFormat.number(PSIThresholds.default.major)) (major shift), the default thresholds; "
                    + "the severity is the one the evaluation stored.")
            html += table(
                ["feature", "grouping", "PSI", "severity", "current period (UTC)", "reference n", "current n"],
                shown.map {
                    [
                        $0.feature, $0.grouping.isEmpty ? "all traffic" : $0.grouping,
                        ReportFormat.number($0.psi, decimals: 4), $0.severity,
                        ReportFormat.utc($0.currentStart) + " – " + ReportFormat.utc($0.currentEnd),
                        "\($0.referenceCount)", "\($0.currentCount)",
                    ]
                })
            html += more(data.psi.count)
        }
        html += "<h3>Online detector events (ADWIN, Page-Hinkley)</h3>\n"
        if data.driftEvents.isEmpty {
            html += empty("No drift detected by the online detectors in this range.")
        } else {
            html += table(
                ["first detected (UTC)", "stream", "signal", "detector", "detections", "mean before", "mean after"],
                data.driftEvents.prefix(tableLimit).map {
                    [
                        ReportFormat.utc($0.firstDetected), $0.stream, $0.signal, $0.detector, "\($0.detections)",
                        $0.meanBefore.map { ReportFormat.number($0) } ?? "–",
                        $0.meanAfter.map { ReportFormat.number($0) } ?? "–",
                    ]
                })
            html += more(data.driftEvents.count)
        }
        return html + "</section>\n"
    }

    static func alerts(_ data: ReportData) -> String {
        var html = "<section id=\"alerts\">\n<h2>Alerts fired</h2>\n"
        guard !data.alerts.isEmpty else {
            return html + empty("No alert fired or resolved in this range.") + "</section>\n"
        }
        let firing = data.alerts.filter { $0.status == "firing" }.count
        let resolved = data.alerts.filter { $0.status == "resolved" }.count
        html += "<p>\(firing) firing and \(resolved) resolved notifications, newest first.</p>\n"
        html += table(
            ["at (UTC)", "status", "rule", "severity", "labels", "summary"],
            data.alerts.prefix(tableLimit).map {
                [ReportFormat.utc($0.at), $0.status, $0.rule, $0.severity, $0.labels, $0.summary]
            })
        html += more(data.alerts.count)
        return html + "</section>\n"
    }

    static func table(_ columns: [String], _ rows: [[String]]) -> String {
        var html = "<table>\n<thead><tr>"
        for column in columns { html += "<th>\(HTMLText.escape(column))</th>" }
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr>"
            for cell in row { html += "<td>\(HTMLText.escape(HTMLText.shortened(cell, to: 200)))</td>" }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    static func empty(_ text: String) -> String { "<p class=\"empty\">\(HTMLText.escape(text))</p>\n" }

    static func note(_ text: String) -> String { "<p class=\"note\">\(HTMLText.escape(text))</p>\n" }

    static func more(_ count: Int) -> String {
        count > tableLimit ? note("The \(count - tableLimit) older rows are not shown.") : ""
    }

    static func duration(_ seconds: Int64) -> String {
        if seconds % 86_400 == 0 { return "\(seconds / 86_400) d" }
        if seconds % 3_600 == 0 { return "\(seconds / 3_600) h" }
        if seconds % 60 == 0 { return "\(seconds / 60) min" }
        return "\(seconds) s"
    }

    static let style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2433;background:#f6f7f9;\
        margin:0 auto;max-width:1000px;padding:16px 24px}
        header p,nav{color:#555}a{color:#2f5d8a}
        section{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:8px 16px 12px;margin:16px 0}
        h1{font-size:22px;margin:8px 0}h2{font-size:17px;margin:8px 0}h3{font-size:14px;margin:12px 0 4px}
        figure{margin:0}svg.chart{width:100%;height:auto;display:block}
        .grid{stroke:#e6e9ee;stroke-width:1}.axis{stroke:#8a93a3;stroke-width:1}
        .guide{stroke:#8a93a3;stroke-dasharray:4 3}
        .tick,.value,.label{font-size:11px;fill:#444}
        .legend{list-style:none;padding:0;margin:4px 0 0 64px;display:flex;flex-wrap:wrap;gap:4px 16px}
        .swatch{display:inline-block;width:18px;border-top:3px solid;vertical-align:middle;margin-right:6px}
        .swatch.dashed{border-top-style:dashed}
        .empty{color:#777;font-style:italic}.note{color:#777;font-size:12px}
        table{border-collapse:collapse;width:100%;font-size:12px;margin:4px 0}
        th,td{text-align:left;padding:3px 6px;border-bottom:1px solid #eceff3;vertical-align:top;\
        overflow-wrap:break-word}
        th{color:#555;font-weight:600;white-space:nowrap}footer{color:#888;font-size:12px;margin:16px 0}
        """
}
