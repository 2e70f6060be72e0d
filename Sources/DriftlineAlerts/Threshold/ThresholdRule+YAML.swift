extension ThresholdRule {
    /// Decodes a `kind: threshold` document; see ``ThresholdRule`` for the shape.
    public init(spec: SpecMapping) throws(AlertSpecError) {
        _ = spec.contains("kind")
        let name = try RuleName.read(spec)
        let metricText = try spec.string("metric", expected: AlertMetric.expected)
        guard let metric = AlertMetric.parse(metricText) else {
            throw spec.error(.invalidValue, key: "metric", expected: AlertMetric.expected, found: metricText)
        }
        let window = try spec.duration("window")
        let operators = ThresholdComparison.allCases.map(\.rawValue).joined(separator: " ")
        let opText = try spec.string("op", expected: "one of \(operators)")
        guard let comparison = ThresholdComparison(rawValue: opText) else {
            throw spec.error(.invalidValue, key: "op", expected: "one of \(operators)", found: opText)
        }
        let threshold = try spec.number("threshold")
        let pendingFor = try spec.optionalDuration("for") ?? .zero
        let keepFiringFor = try spec.optionalDuration("keep_firing_for") ?? .zero
        let severityText = try spec.optionalString("severity") ?? "ticket"
        guard severityText == "page" || severityText == "ticket" else {
            throw spec.error(.invalidValue, key: "severity", expected: "page or ticket", found: severityText)
        }
        let filter = try DimensionFilter.read(spec, key: "filters")
        let groupBy = try DimensionFilter.readGrouping(spec, key: "group_by")
        let labels = try spec.optionalStringMap("labels") ?? [:]
        let annotations = try spec.optionalStringMap("annotations") ?? [:]
        try spec.rejectUnknownKeys()
        for reserved in ["alertname", "severity"] where labels[reserved] != nil {
            throw spec.error(.invalidValue, key: "labels", expected: "no label named \(reserved) (set by Driftline)")
        }
        self.init(
            name: name, metric: metric, window: window, comparison: comparison, threshold: threshold,
            pendingFor: pendingFor, keepFiringFor: keepFiringFor, severity: AlertSeverity(severityText),
            filter: filter, groupBy: groupBy, labels: labels, annotations: annotations, sourceFile: spec.file)
    }
}
