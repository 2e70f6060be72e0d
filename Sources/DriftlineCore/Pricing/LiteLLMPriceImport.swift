/// Converts LiteLLM's `model_prices_and_context_window.json` (USD per token) into price
/// catalogue entries (USD per million tokens), reading every number from its JSON text.
///
/// Mapping, per entry keyed by model name with `litellm_provider`:
///
/// | LiteLLM field | catalogue key |
/// |---|---|
/// | `input_cost_per_token` | `input` |
/// | `output_cost_per_token` | `output` (0 when absent, as LiteLLM bills it) |
/// | `cache_read_input_token_cost` | `cached_input` |
/// | `cache_creation_input_token_cost` | `cache_write_5m` |
/// | `cache_creation_input_token_cost_above_1hr` | `cache_write_1h` |
/// | `output_cost_per_reasoning_token` | `reasoning` |
/// | `…_above_<N>k_tokens` of the above | `tiers: - above_input_tokens: N000` |
///
/// LiteLLM bills xAI's higher tier once the prompt *reaches* the threshold (`>=`), every other
/// provider's once it is above it; tokens are whole numbers, so an xAI threshold N is written
/// as `above_input_tokens: N − 1`.
///
/// Not imported (Driftline prices text tokens of standard-tier requests): batch, flex and
/// priority variants, audio/image/video/character/second/page prices, search and tool fees.
/// Entries with neither an input nor an output token price are skipped. The provider prefix
/// of a key (`gemini/gemini-2.5-pro`) is dropped from the model name, since events report
/// the provider separately; when a prefixed and an unprefixed key name the same model, the
/// unprefixed one is kept.
///
/// LiteLLM splits some clouds into several `litellm_provider` values by API or model family;
/// they are imported under the one name events are priced as (see `ProviderAliases`):
/// `vertex_ai-language-models`, `vertex_ai-anthropic_models`, … → `vertex_ai`;
/// `bedrock_converse` → `bedrock`; `azure_text` → `azure`. The `providers` filter takes
/// either spelling (`vertex_ai` selects every `vertex_ai-…` family).
public enum LiteLLMPriceImport {
    /// LiteLLM's provider name → the catalogue's.
    public static func catalogueProvider(_ litellmProvider: String) -> String {
        if litellmProvider.hasPrefix("vertex_ai-") { return "vertex_ai" }
        switch litellmProvider {
        case "bedrock_converse": return "bedrock"
        case "azure_text": return "azure"
        default: return litellmProvider
        }
    }

    public struct Result: Sendable {
        public var prices: [ModelPrice]
        /// Keys skipped, with the reason.
        public var skipped: [(key: String, reason: String)]
    }

    public static func convert(json bytes: [UInt8], providers: Set<String>? = nil) throws -> Result {
        let tree: JSONTree
        do {
            tree = try JSONTree.parse(bytes)
        } catch {
            throw PriceCatalogueError(key: "", "not a LiteLLM price file: \(error)")
        }
        guard case .object(let members) = tree else { throw PriceCatalogueError(key: "", "expected an object") }
        var prices: [ModelPrice] = []
        var index: [String: Int] = [:]
        var prefixed: Set<String> = []
        var skipped: [(key: String, reason: String)] = []
        for (key, value) in members where key != "sample_spec" {
            guard case .object(let fields) = value else {
                skipped.append((key, "not an object"))
                continue
            }
            guard case .string(let litellmProvider)? = value["litellm_provider"] else {
                skipped.append((key, "no litellm_provider"))
                continue
            }
            let provider = catalogueProvider(litellmProvider)
            if let providers, !providers.contains(litellmProvider), !providers.contains(provider) { continue }
            var model = key
            let prefix = [litellmProvider, provider].first { key.hasPrefix($0 + "/") }
            let isPrefixed = prefix != nil
            if let prefix { model = String(key.dropFirst(prefix.count + 1)) }
            var numbers: [String: String] = [:]
            for (name, field) in fields {
                if case .number(let text) = field { numbers[name] = text }
            }
            guard numbers["input_cost_per_token"] != nil || numbers["output_cost_per_token"] != nil else {
                skipped.append((key, "no per-token price"))
                continue
            }
            let price: ModelPrice
            do {
                price = try entry(provider: provider, model: model, numbers: numbers, key: key)
            } catch {
                skipped.append((key, "\(error)"))
                continue
            }
            let identity = provider + "\u{0}" + model
            if let existing = index[identity] {
                // Keep the unprefixed spelling: it is the one LiteLLM's own lookup tries first.
                if prefixed.contains(identity) && !isPrefixed {
                    prices[existing] = price
                    prefixed.remove(identity)
                } else {
                    skipped.append((key, "duplicate of another key for \(provider) \(model)"))
                }
                continue
            }
            index[identity] = prices.count
            if isPrefixed { prefixed.insert(identity) }
            prices.append(price)
        }
        return Result(prices: prices, skipped: skipped)
    }

    static func entry(provider: String, model: String, numbers: [String: String], key: String) throws -> ModelPrice {
        func rate(_ name: String) throws -> Money? {
            guard let text = numbers[name] else { return nil }
            let value = try Money(decimal: text)
            if value < .zero { throw PriceCatalogueError(key: "\(key).\(name)", "negative price \(text)") }
            return value
        }
        let rates = TokenRates(
            input: try rate("input_cost_per_token") ?? .zero, output: try rate("output_cost_per_token") ?? .zero,
            cachedInput: try rate("cache_read_input_token_cost"),
            cacheWrite5m: try rate("cache_creation_input_token_cost"),
            cacheWrite1h: try rate("cache_creation_input_token_cost_above_1hr"),
            reasoning: try rate("output_cost_per_reasoning_token"))
        var thresholds: Set<Int64> = []
        for name in numbers.keys {
            if let threshold = tierThreshold(name) { thresholds.insert(threshold) }
        }
        var tiers: [PriceTier] = []
        for threshold in thresholds.sorted() {
            let suffix = "_above_\(threshold / 1000)k_tokens"
            let tier = PriceTier(
                aboveInputTokens: inclusiveThresholdProviders.contains(provider) ? threshold - 1 : threshold,
                input: try rate("input_cost_per_token" + suffix),
                output: try rate("output_cost_per_token" + suffix),
                cachedInput: try rate("cache_read_input_token_cost" + suffix),
                cacheWrite5m: try rate("cache_creation_input_token_cost" + suffix),
                cacheWrite1h: try rate("cache_creation_input_token_cost_above_1hr" + suffix))
            if tier.input != nil || tier.output != nil || tier.cachedInput != nil || tier.cacheWrite5m != nil
                || tier.cacheWrite1h != nil
            {
                tiers.append(tier)
            }
        }
        return ModelPrice(
            provider: provider, model: .exact(model), rates: rates, tiers: tiers, location: key)
    }

    static let inclusiveThresholdProviders: Set<String> = ["xai"]

    /// `input_cost_per_token_above_200k_tokens` → 200 000; nil for other fields (and for the
    /// batch/priority/flex variants, which end differently).
    static func tierThreshold(_ name: String) -> Int64? {
        let bases = [
            "input_cost_per_token_above_", "output_cost_per_token_above_", "cache_read_input_token_cost_above_",
            "cache_creation_input_token_cost_above_", "cache_creation_input_token_cost_above_1hr_above_",
        ]
        for base in bases where name.hasPrefix(base) && name.hasSuffix("k_tokens") {
            let middle = name.dropFirst(base.count).dropLast("k_tokens".count)
            if let thousands = Int64(middle), thousands > 0 { return thousands * 1000 }
        }
        return nil
    }
}
