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

    /// Rounded half up to 10⁻⁹ USD for the table (the stored figure is exact; GPU-hour shares
    /// divide in `numeric` and can carry many places), trailing zeros dropped: `12.340000` → `12.34`.
    static func trimmed(_ decimal: String) -> String {
        guard let point = decimal.firstIndex(of: ".") else { return decimal }
        let negative = decimal.hasPrefix("-")
        var whole = Array(
            decimal[
                decimal.index(
                    negative ? decimal.index(after: decimal.startIndex) : decimal.startIndex, offsetBy: 0)..<point])
        var fraction = Array(decimal[decimal.index(after: point)...])
        if fraction.count > 9 {
            let roundUp = fraction[9] >= "5"
            fraction = Array(fraction.prefix(9))
            if roundUp {
                var digits = whole + fraction
                var index = digits.count - 1
                while index >= 0 {
                    if digits[index] == "9" {
                        digits[index] = "0"
                        index -= 1
                    } else {
                        digits[index] = Character(String((digits[index].wholeNumberValue ?? 0) + 1))
                        break
                    }
                }
                if index < 0 { digits.insert("1", at: 0) }
                whole = Array(digits.prefix(digits.count - 9))
                fraction = Array(digits.suffix(9))
            }
        }
        while fraction.last == "0" { fraction.removeLast() }
        let text = String(whole) + (fraction.isEmpty ? "" : "." + String(fraction))
        return negative && text != "0" ? "-" + text : text
    }
}
