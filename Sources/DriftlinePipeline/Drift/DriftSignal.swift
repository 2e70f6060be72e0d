public import DriftlineCore

/// A per-event number whose stream the online detectors watch.
public enum DriftSignal: String, Codable, Sendable, CaseIterable, Comparable {
    case ttft
    case tpot
    /// 1 for a failed call, 0 for a successful one: the error rate's stream.
    case error
    case outputTokens = "output_tokens"
    case latency
    /// The faithfulness score of a scored quality sample (`quality:`): not an event's value, so
    /// the ingest detectors skip it; the scoring service feeds it (`QualityScoreDetectors`).
    case faithfulness

    /// The event's value, or nil when it has none (TTFT of a non-streaming call).
    @inlinable
    public func value(of event: LLMEvent) -> Double? {
        switch self {
        case .ttft: event.ttftMilliseconds
        case .tpot: event.tpotMilliseconds
        case .error: event.status == .ok ? 0 : 1
        case .outputTokens: Double(event.tokens.output)
        case .latency: event.latencyMilliseconds
        case .faithfulness: nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let signal = DriftSignal(rawValue: name) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription:
                    "unknown drift signal \"\(name)\"; expected one of: "
                    + DriftSignal.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self = signal
    }

    public static func < (a: DriftSignal, b: DriftSignal) -> Bool { a.rawValue < b.rawValue }
}
