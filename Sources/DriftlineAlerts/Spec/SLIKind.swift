import Foundation

/// A named shorthand for an SLI: templates of its good and total counters over the ``StoredCounter`` registry,
/// filled in from the kind's parameters. The shipped kinds are rows of data, not code paths:
///
/// | kind | parameters | good | total |
/// |---|---|---|---|
/// | `latency` | `metric` (ttft, tpot, e2e), `threshold_ms` | `{metric}_at_or_below_ms({threshold_ms})` | `{metric}_measured` |
/// | `availability` | — | `ok_requests` | `requests` |
/// | `quality` | — | `samples_faithful` | `samples_scored` |
///
/// Any other ratio of stored counters needs no kind at all: `sli: {ratio: {good: …, total: …}}`.
public struct SLIKind: Hashable, Sendable {
    public struct Parameter: Hashable, Sendable {
        public let name: String
        /// The allowed words, or nil for a positive number.
        public let allowedValues: [String]?
    }

    public let name: String
    public let parameters: [Parameter]
    public let goodTemplate: String
    public let totalTemplate: String

    public static let latency = SLIKind(
        name: "latency",
        parameters: [
            Parameter(name: "metric", allowedValues: ["ttft", "tpot", "e2e"]),
            Parameter(name: "threshold_ms", allowedValues: nil),
        ],
        goodTemplate: "{metric}_at_or_below_ms({threshold_ms})", totalTemplate: "{metric}_measured")
    public static let availability = SLIKind(
        name: "availability", parameters: [], goodTemplate: "ok_requests", totalTemplate: "requests")
    public static let quality = SLIKind(
        name: "quality", parameters: [], goodTemplate: "samples_faithful", totalTemplate: "samples_scored")

    public static let registry: [SLIKind] = [.latency, .availability, .quality]

    /// Substitutes `{parameter}` in a template.
    func fill(_ template: String, with values: [String: String]) -> String {
        values.reduce(template) { text, entry in text.replacingOccurrences(of: "{\(entry.key)}", with: entry.value) }
    }
}
