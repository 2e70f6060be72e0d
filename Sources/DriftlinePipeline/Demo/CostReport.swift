public import DriftlineStore

/// Spend rows as a text table; an unpriced group shows "unpriced", never 0.
public enum CostReport {
    public static func render(_ rows: [SpendRow], dimension: String, title: String) -> String {
        var table = TextTable(columns: [
            dimension, "cost USD", "requests", "unpriced req", "unpriced tokens", "USD / 1k req", "cache savings USD",
        ])
        for row in rows {
            table.add([
                row.value.isEmpty ? "(none)" : row.value, row.costUSD.map(trimmed) ?? "unpriced", "\(row.requests)",
                "\(row.unpricedRequests)", "\(row.unpricedTokens)", row.costPer1kRequests.map(trimmed) ?? "–",
                row.cacheSavingsUSD.map(trimmed) ?? "–",
            ])
        }
        return "\(title):\n\n" + table.render()
    }

    /// `12.340000000000000000000000` → `12.34`.
    static func trimmed(_ decimal: String) -> String {
        guard decimal.contains(".") else { return decimal }
        var text = decimal
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
