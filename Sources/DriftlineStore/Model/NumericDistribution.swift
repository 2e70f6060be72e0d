/// A numeric feature stored as a histogram per window in `dl_windows`.
public enum NumericDistribution: String, Sendable, Hashable, CaseIterable, Codable {
    case ttft
    case tpot
    case latency
    case inputTokens = "input_tokens"
    case outputTokens = "output_tokens"

    /// Its `dl_histogram` column in `dl_windows`.
    public var column: String {
        switch self {
        case .ttft: "ttft_ms"
        case .tpot: "tpot_ms"
        case .latency: "latency_ms"
        case .inputTokens: "input_tokens_dist"
        case .outputTokens: "output_tokens_dist"
        }
    }
}
