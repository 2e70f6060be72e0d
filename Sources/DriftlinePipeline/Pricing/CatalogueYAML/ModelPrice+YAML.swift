public import DriftlineCore

/// Writes catalogue entries as the YAML `PriceCatalogue` loads (prices per million tokens,
/// exact decimals), e.g. for `driftline prices import`; `PriceCatalogueReader` reads them back.
extension ModelPrice {
    public static func yamlDocument(_ prices: [ModelPrice], header: [String]) -> String {
        var out = header.map { "# " + $0 }.joined(separator: "\n")
        out += (header.isEmpty ? "" : "\n") + "currency: USD\nprices:\n"
        for price in prices { out += price.yamlEntry }
        return out
    }

    /// One `- provider: …` list item.
    public var yamlEntry: String {
        var lines = ["- provider: \(Self.quoted(provider))"]
        switch model {
        case .exact(let name): lines.append("  model: \(Self.quoted(name))")
        case .glob(let glob): lines.append("  model_glob: \(Self.quoted(glob))")
        case .regex(let regex): lines.append("  model_regex: \(Self.quoted(regex.source))")
        }
        if effectiveFrom != .epoch { lines.append("  effective_from: \(effectiveFrom.dateString)") }
        if let gpuHour {
            lines.append("  gpu_hour: {price: \(gpuHour.pricePerGPUHour), gpus: \(gpuHour.gpus)}")
        } else {
            lines.append("  input: \(Self.perMillion(rates.input))")
            lines.append("  output: \(Self.perMillion(rates.output))")
        }
        let optional: [(String, Money?)] = [
            ("cached_input", rates.cachedInput), ("cache_write_5m", rates.cacheWrite5m),
            ("cache_write_1h", rates.cacheWrite1h), ("reasoning", rates.reasoning),
        ]
        for (key, value) in optional { if let value { lines.append("  \(key): \(Self.perMillion(value))") } }
        if requestFee != .zero { lines.append("  request: \(requestFee)") }
        if !tiers.isEmpty {
            lines.append("  tiers:")
            for tier in tiers {
                lines.append("    - above_input_tokens: \(tier.aboveInputTokens)")
                let values: [(String, Money?)] = [
                    ("input", tier.input), ("output", tier.output), ("cached_input", tier.cachedInput),
                    ("cache_write_5m", tier.cacheWrite5m), ("cache_write_1h", tier.cacheWrite1h),
                    ("reasoning", tier.reasoning),
                ]
                for (key, value) in values { if let value { lines.append("      \(key): \(Self.perMillion(value))") } }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func perMillion(_ perToken: Money) -> String {
        Money(units: perToken.units * 1_000_000).description
    }

    /// Double-quoted when the plain scalar could be read as something else.
    static func quoted(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9")
                || "-_./".unicodeScalars.contains($0)
        }
        let looksOther =
            Int(text) != nil || Double(text) != nil
            || ["true", "false", "null", "yes", "no", "on", "off", "~"]
                .contains(text.lowercased())
        if plain && !looksOther && !text.isEmpty { return text }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
