public import Foundation

/// What a ``DriftRule`` reads; the store conforms.
public protocol DriftAlertSource: Sendable {
    /// The latest `count` PSI values of `feature` per grouping (its JSON object, `{"model": "a"}`),
    /// newest first, from the scheduled evaluation (`dl_drift_results`).
    func recentPSI(feature: String, count: Int) async throws -> [String: [Double]]
    /// ADWIN / Page-Hinkley detections of `signal` since `start`, per stream (its JSON object).
    func detections(signal: String, since start: Date) async throws -> [String: Int]
    /// The latest embedding-centroid distance by `metric` per grouping (its JSON object), from the
    /// scheduled embedding drift evaluation (`dl_embedding_drift`); a grouping whose distance is
    /// undefined (a zero centroid, for cosine) is left out.
    func latestCentroidDistances(metric: DriftRule.CentroidMetric) async throws -> [String: Double]
}

/// Drift as alerts (`kind: drift`), on the results the drift jobs store:
///
/// ```yaml
/// kind: drift
/// name: ttft-distribution
/// psi: {feature: ttft, threshold: 0.2, consecutive: 3}   # PSI ≥ threshold in N evaluations in a row
/// # adwin: {signal: ttft, window: 15m}                  # a detection on the signal in the last window
/// # centroid: {metric: cosine, threshold: 0.05}         # latest embedding centroid distance ≥ threshold
/// severity: ticket
/// labels: {team: ml}
/// ```
///
/// One series per grouping (PSI) or stream (detections), labelled `grouping` / `stream` with the
/// JSON of its dimension values; centroid rules one per grouping of the embedding evaluation.
public struct DriftRule: AlertRule, Hashable {
    public enum Condition: Hashable, Sendable {
        case psi(feature: String, threshold: Double, consecutive: Int)
        case detection(signal: String, window: Duration)
        case centroid(metric: CentroidMetric, threshold: Double)
    }

    /// Which distance between the reference and current embedding centroids a rule reads.
    public enum CentroidMetric: String, Hashable, Sendable, CaseIterable {
        /// `1 − cos` (`dl_embedding_drift.cosine_distance`), in [0, 2].
        case cosine
        /// `‖reference − current‖₂` (`dl_embedding_drift.euclidean_distance`).
        case euclidean
    }

    public var name: String
    public var condition: Condition
    public var severity: AlertSeverity
    public var labels: [String: String]
    public var annotations: [String: String]
    public var sourceFile: String

    public init(
        name: String, condition: Condition, severity: AlertSeverity = .ticket, labels: [String: String] = [:],
        annotations: [String: String] = [:], sourceFile: String = ""
    ) {
        self.name = name
        self.condition = condition
        self.severity = severity
        self.labels = labels
        self.annotations = annotations
        self.sourceFile = sourceFile
    }

    public init(spec: SpecMapping) throws(AlertSpecError) {
        _ = spec.contains("kind")
        let name = try RuleName.read(spec)
        let condition: Condition
        switch (
            try spec.optionalMapping("psi"), try spec.optionalMapping("adwin"), try spec.optionalMapping("centroid")
        ) {
        case (let psi?, nil, nil):
            let feature = try psi.string("feature", expected: "a PSI feature such as ttft or finish_reason")
            let threshold = try psi.optionalNumber("threshold") ?? 0.2
            guard threshold > 0 else {
                throw psi.error(.invalidValue, key: "threshold", expected: "a PSI above 0", found: "\(threshold)")
            }
            let consecutive = try psi.optionalInteger("consecutive") ?? 1
            guard (1...100).contains(consecutive) else {
                throw psi.error(.invalidValue, key: "consecutive", expected: "1…100", found: "\(consecutive)")
            }
            try psi.rejectUnknownKeys()
            condition = .psi(feature: feature, threshold: threshold, consecutive: consecutive)
        case (nil, let adwin?, nil):
            let signal = try adwin.string("signal", expected: "a drift signal such as ttft, tpot, error")
            let window = try adwin.optionalDuration("window") ?? .seconds(900)
            try adwin.rejectUnknownKeys()
            condition = .detection(signal: signal, window: window)
        case (nil, nil, let centroid?):
            let name = try centroid.optionalString("metric") ?? CentroidMetric.cosine.rawValue
            guard let metric = CentroidMetric(rawValue: name) else {
                throw centroid.error(.invalidValue, key: "metric", expected: "cosine or euclidean", found: name)
            }
            guard let threshold = try centroid.optionalNumber("threshold") else {
                throw centroid.error(
                    .missingKey, key: "threshold", expected: "a distance such as 0.05 (cosine) or 0.5 (euclidean)")
            }
            guard threshold > 0, metric == .euclidean || threshold <= 2 else {
                throw centroid.error(
                    .invalidValue, key: "threshold",
                    expected: metric == .cosine ? "a cosine distance in (0, 2]" : "a distance above 0",
                    found: "\(threshold)")
            }
            try centroid.rejectUnknownKeys()
            condition = .centroid(metric: metric, threshold: threshold)
        default:
            throw spec.error(.missingKey, key: "psi", expected: "exactly one of psi, adwin or centroid")
        }
        let severity = try spec.severity()
        let labels = try spec.labels(reserved: ["alertname", "severity", "grouping", "stream"])
        let annotations = try spec.optionalStringMap("annotations") ?? [:]
        try spec.rejectUnknownKeys()
        self.init(
            name: name, condition: condition, severity: severity, labels: labels, annotations: annotations,
            sourceFile: spec.file)
    }

    /// PSI: a grouping is active when its latest `consecutive` values are all at or above the
    /// threshold (fewer values than that: not yet).
    public func conditions(psi values: [String: [Double]]) -> [AlertCondition] {
        guard case .psi(let feature, let threshold, let consecutive) = condition else { return [] }
        return values.keys.sorted().map { grouping in
            let recent = Array(values[grouping, default: []].prefix(consecutive))
            let active = recent.count == consecutive && recent.allSatisfy { $0 >= threshold }
            return series(
                label: "grouping", value: grouping, active: active, observed: recent.first,
                summary:
                    "PSI of \(feature) at or above \(SLOSpec.format(threshold)) in \(consecutive) evaluations in a row for \(grouping)"
            )
        }
    }

    /// Detections: a stream is active while it had a detection within the window.
    public func conditions(detections: [String: Int]) -> [AlertCondition] {
        guard case .detection(let signal, let window) = condition else { return [] }
        return detections.keys.sorted().map { stream in
            let count = detections[stream, default: 0]
            return series(
                label: "stream", value: stream, active: count > 0, observed: Double(count),
                summary: "\(signal) drifted (\(count) detections in \(AlertDuration.format(window))) for \(stream)")
        }
    }

    /// Centroid distances: a grouping is active while its latest distance is at or above the
    /// threshold.
    public func conditions(centroidDistances values: [String: Double]) -> [AlertCondition] {
        guard case .centroid(let metric, let threshold) = condition else { return [] }
        return values.keys.sorted().map { grouping in
            let distance = values[grouping]!
            return series(
                label: "grouping", value: grouping, active: distance >= threshold, observed: distance,
                summary:
                    "embedding centroid moved: \(metric.rawValue) distance at or above \(SLOSpec.format(threshold)) for \(grouping)"
            )
        }
    }

    private func series(label: String, value: String, active: Bool, observed: Double?, summary: String)
        -> AlertCondition
    {
        var labels = self.labels
        labels["alertname"] = name
        labels["severity"] = severity.name
        labels[label] = value
        var notes = annotations
        notes["summary"] = notes["summary"] ?? summary
        notes["value"] = observed.map(SLOSpec.format) ?? "no data"
        return AlertCondition(
            rule: name, labels: labels, annotations: notes, isActive: active, value: observed, sourceFile: sourceFile)
    }

    public func evaluate(source: any AlertDataSource, at time: Date) async throws -> [AlertCondition] {
        guard let drift = source as? any DriftAlertSource else {
            throw UnsupportedSource(rule: name, needs: "DriftAlertSource")
        }
        switch condition {
        case .psi(let feature, _, let consecutive):
            return conditions(psi: try await drift.recentPSI(feature: feature, count: consecutive))
        case .detection(let signal, let window):
            return conditions(
                detections: try await drift.detections(
                    signal: signal, since: time.addingTimeInterval(-window.timeInterval)))
        case .centroid(let metric, _):
            return conditions(centroidDistances: try await drift.latestCentroidDistances(metric: metric))
        }
    }
}
