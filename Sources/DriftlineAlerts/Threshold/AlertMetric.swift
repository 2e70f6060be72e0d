import Foundation

/// A stored metric a threshold rule compares, written in rule files as:
///
/// | text | meaning | store reads |
/// |---|---|---|
/// | `p99(ttft_ms)`, `p99.9(tpot_ms)`, `p50(latency_ms)` | quantile of a merged histogram | `dl_hist_quantile` |
/// | `mean(ttft_ms)` | mean of a merged histogram | histogram sum / count |
/// | `error_ratio` | errors / requests | `dl_windows` |
/// | `requests_per_second` | requests / window seconds | `dl_windows` |
/// | `cost_usd_per_hour` | cost / window hours | `dl_cost_windows` |
///
/// Histograms: `ttft_ms`, `tpot_ms`, `latency_ms` (end to end).
public enum AlertMetric: Hashable, Sendable, CustomStringConvertible {
    case quantile(Double, histogram: String)
    case mean(histogram: String)
    case errorRatio
    case requestsPerSecond
    case costUSDPerHour

    public static let histograms = ["ttft_ms", "tpot_ms", "latency_ms"]

    public var description: String {
        switch self {
        case .quantile(let q, let histogram):
            "p\(CounterReference.formatNumber((q * 1000).rounded() / 10))(\(histogram))"
        case .mean(let histogram): "mean(\(histogram))"
        case .errorRatio: "error_ratio"
        case .requestsPerSecond: "requests_per_second"
        case .costUSDPerHour: "cost_usd_per_hour"
        }
    }

    static let expected =
        "a metric: pNN(histogram) or mean(histogram) over ttft_ms, tpot_ms, latency_ms; error_ratio; "
        + "requests_per_second; cost_usd_per_hour"

    public static func parse(_ text: String) -> AlertMetric? {
        let text = text.trimmingCharacters(in: .whitespaces)
        switch text {
        case "error_ratio": return .errorRatio
        case "requests_per_second": return .requestsPerSecond
        case "cost_usd_per_hour": return .costUSDPerHour
        default: break
        }
        guard let open = text.firstIndex(of: "("), text.hasSuffix(")") else { return nil }
        let function = text[..<open]
        let histogram = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        guard histograms.contains(histogram) else { return nil }
        if function == "mean" { return .mean(histogram: histogram) }
        guard function.hasPrefix("p"), let percent = Double(function.dropFirst()), percent > 0, percent < 100 else {
            return nil
        }
        // Percent rounded to 1/1000 first, so `p99.9` reads as the double nearest 0.999, as written.
        return .quantile((percent * 1_000).rounded() / 100_000, histogram: histogram)
    }
}
