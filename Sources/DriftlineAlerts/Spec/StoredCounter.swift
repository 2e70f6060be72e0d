/// The registry of event counters the store keeps per window and dimension set, which SLIs name as their good
/// and total events. An SLI is `good / total` over two of these; a new SLI kind over existing counters is a rule
/// file, not a code change. A new counter is a store change and gets a line here and in `alerts/README.md`.
///
/// Thresholded counters (`…_at_or_below_ms(T)`) are exact: every threshold an SLO declares is counted at ingest
/// (event value ≤ T), never read off histogram bucket edges.
public struct StoredCounter: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    /// Whether the counter takes a threshold in milliseconds, written `name(1500)`.
    public let takesThreshold: Bool
    /// What is counted and where the store finds it.
    public let meaning: String

    public var description: String { name }

    /// All requests (`dl_windows.requests`).
    public static let requests = StoredCounter(
        name: "requests", takesThreshold: false, meaning: "every request (dl_windows.requests)")
    /// Requests that ended in an error status (`dl_windows.errors`).
    public static let errors = StoredCounter(
        name: "errors", takesThreshold: false, meaning: "requests with an error status (dl_windows.errors)")
    /// Requests without an error status (`requests − errors`).
    public static let okRequests = StoredCounter(
        name: "ok_requests", takesThreshold: false, meaning: "requests without an error status (requests - errors)")
    /// Requests with a time to first token (streamed, first token seen).
    public static let ttftMeasured = StoredCounter(
        name: "ttft_measured", takesThreshold: false, meaning: "requests with a TTFT (count of the ttft_ms histogram)")
    /// Requests whose TTFT was at or below the threshold.
    public static let ttftAtOrBelow = StoredCounter(
        name: "ttft_at_or_below_ms", takesThreshold: true, meaning: "requests with TTFT <= threshold, counted at ingest"
    )
    /// Requests with a time per output token (more than one output token).
    public static let tpotMeasured = StoredCounter(
        name: "tpot_measured", takesThreshold: false, meaning: "requests with a TPOT (count of the tpot_ms histogram)")
    /// Requests whose TPOT was at or below the threshold.
    public static let tpotAtOrBelow = StoredCounter(
        name: "tpot_at_or_below_ms", takesThreshold: true, meaning: "requests with TPOT <= threshold, counted at ingest"
    )
    /// Requests with an end-to-end latency (end − start).
    public static let e2eMeasured = StoredCounter(
        name: "e2e_measured", takesThreshold: false,
        meaning: "requests with an end-to-end latency (count of latency_ms)")
    /// Requests whose end-to-end latency was at or below the threshold.
    public static let e2eAtOrBelow = StoredCounter(
        name: "e2e_at_or_below_ms", takesThreshold: true,
        meaning: "requests with end-to-end latency <= threshold, counted at ingest")
    /// Sampled responses the faithfulness scorer has scored.
    public static let samplesScored = StoredCounter(
        name: "samples_scored", takesThreshold: false, meaning: "sampled responses scored for faithfulness")
    /// Scored samples judged faithful.
    public static let samplesFaithful = StoredCounter(
        name: "samples_faithful", takesThreshold: false, meaning: "scored samples with a faithful verdict")

    public static let registry: [StoredCounter] = [
        .requests, .errors, .okRequests, .ttftMeasured, .ttftAtOrBelow, .tpotMeasured, .tpotAtOrBelow,
        .e2eMeasured, .e2eAtOrBelow, .samplesScored, .samplesFaithful,
    ]

    public static func named(_ name: String) -> StoredCounter? {
        registry.first { $0.name == name }
    }
}
