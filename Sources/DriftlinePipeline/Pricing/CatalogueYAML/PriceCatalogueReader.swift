import DriftlineCore
import Foundation
import Yams

/// Reads one catalogue file's YAML into `ModelPrice` entries, following `include:`; the
/// inverse of `ModelPrice.yamlDocument`.
struct PriceCatalogueReader {
    static let topKeys: Set<String> = ["currency", "prices", "include"]
    static let entryKeys: Set<String> = [
        "provider", "model", "model_glob", "model_regex", "examples", "effective_from", "input", "output",
        "cached_input", "cache_write_5m", "cache_write_1h", "reasoning", "request", "tiers", "gpu_hour", "source",
    ]
    static let tierKeys: Set<String> = [
        "above_input_tokens", "input", "output", "cached_input", "cache_write_5m", "cache_write_1h", "reasoning",
    ]
    static let perMillion: Int128 = 1_000_000

    /// Reads the entries of one file, after those of the files it includes (paths relative to
    /// it), so that a hand-kept file can add local prices to the generated default catalogue.
    func collect(
        _ yaml: String, file: String?, depth: Int, into prices: inout [ModelPrice],
        examples: inout [ModelPattern: [String]]
    ) throws(PriceCatalogueError) {
        do {
            try collectOne(yaml, file: file, depth: depth, into: &prices, examples: &examples)
        } catch var error {
            error.file = error.file ?? file
            throw error
        }
    }

    private func collectOne(
        _ yaml: String, file: String?, depth: Int, into prices: inout [ModelPrice],
        examples: inout [ModelPattern: [String]]
    ) throws(PriceCatalogueError) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw PriceCatalogueError(key: "", ConfigurationError.describe(error))
        } catch {
            throw PriceCatalogueError(key: "", "not valid YAML: \(error)")
        }
        guard let root, let top = root.mapping else {
            throw PriceCatalogueError(key: "", "expected a mapping with `currency: USD` and `prices:`")
        }
        let fields = try mapping(top, path: "", allowed: Self.topKeys)
        if let currency = fields["currency"] {
            let value = try string(currency, "currency")
            if value != "USD" { throw PriceCatalogueError(key: "currency", "expected USD, got \(value)") }
        }
        if let includeNode = fields["include"] {
            guard let items = includeNode.sequence else {
                throw PriceCatalogueError(key: "include", "expected a list of catalogue files")
            }
            if depth >= 8 { throw PriceCatalogueError(key: "include", "catalogues include each other too deeply") }
            for (index, item) in items.enumerated() {
                let name = try string(item, "include[\(index)]")
                let base = file.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
                let path = name.hasPrefix("/") ? name : (base?.appendingPathComponent(name).path ?? name)
                let text: String
                do {
                    text = try PipelineConfiguration.readConfigurationFile(path)
                } catch {
                    throw PriceCatalogueError(key: "include[\(index)]", "\(path): \(error.message)")
                }
                try collect(text, file: path, depth: depth + 1, into: &prices, examples: &examples)
            }
        }
        guard let pricesNode = fields["prices"], let list = pricesNode.sequence else {
            if fields["include"] != nil && fields["prices"] == nil { return }
            throw PriceCatalogueError(key: "prices", "expected a list of price entries")
        }
        // Entries of included files name their file, so a clash across files says where each is.
        let origin = depth > 0 ? (file.map { URL(fileURLWithPath: $0).lastPathComponent + ": " } ?? "") : ""
        for (index, node) in list.enumerated() {
            let (price, entryExamples) = try entry(node, path: "prices[\(index)]", origin: origin)
            prices.append(price)
            if !entryExamples.isEmpty { examples[price.model, default: []] += entryExamples }
        }
    }

    private func entry(_ node: Node, path: String, origin: String) throws(PriceCatalogueError)
        -> (ModelPrice, [String])
    {
        guard let map = node.mapping else { throw PriceCatalogueError(key: path, "expected a mapping") }
        let f = try mapping(map, path: path, allowed: Self.entryKeys)
        guard let providerNode = f["provider"] else {
            throw PriceCatalogueError(key: "\(path).provider", "is required (a provider name, or \"*\" for any)")
        }
        let provider = try string(providerNode, "\(path).provider")
        if provider.isEmpty { throw PriceCatalogueError(key: "\(path).provider", "expected a provider name or \"*\"") }
        let patterns = ["model", "model_glob", "model_regex"].filter { f[$0] != nil }
        guard patterns.count == 1, let patternKey = patterns.first, let patternNode = f[patternKey] else {
            throw PriceCatalogueError(key: path, "expected exactly one of model, model_glob, model_regex")
        }
        let patternText = try string(patternNode, "\(path).\(patternKey)")
        if patternText.isEmpty { throw PriceCatalogueError(key: "\(path).\(patternKey)", "expected a non-empty name") }
        let pattern: ModelPattern
        switch patternKey {
        case "model": pattern = .exact(patternText)
        case "model_glob": pattern = .glob(patternText)
        default:
            do {
                pattern = .regex(try ModelRegex(patternText))
            } catch {
                throw PriceCatalogueError(key: "\(path).model_regex", error.message)
            }
        }
        var examples: [String] = []
        if let node = f["examples"] {
            guard case .regex = pattern else {
                throw PriceCatalogueError(key: "\(path).examples", "only a model_regex entry takes examples")
            }
            guard let items = node.sequence else {
                throw PriceCatalogueError(key: "\(path).examples", "expected a list of model names")
            }
            for (i, item) in items.enumerated() { examples.append(try string(item, "\(path).examples[\(i)]")) }
        }
        var effectiveFrom = EventTime.epoch
        if let node = f["effective_from"] {
            let text = try string(node, "\(path).effective_from")
            guard let time = EventTime(rfc3339: text.count == 10 ? text + "T00:00:00Z" : text) else {
                throw PriceCatalogueError(
                    key: "\(path).effective_from", "expected a date YYYY-MM-DD (UTC) or an RFC 3339 time, got \(text)")
            }
            effectiveFrom = time
        }
        var gpuHour: GPUHourPrice?
        if let node = f["gpu_hour"] {
            gpuHour = try gpu(node, path: "\(path).gpu_hour")
            guard case .exact = pattern, provider != "*" else {
                throw PriceCatalogueError(
                    key: "\(path).gpu_hour",
                    "a gpu_hour price needs an exact model and provider (the deployment its hours are spread over)")
            }
        }
        func rate(_ key: String, required: Bool) throws(PriceCatalogueError) -> Money? {
            guard let node = f[key] else {
                if required { throw PriceCatalogueError(key: "\(path).\(key)", "is required (USD per million tokens)") }
                return nil
            }
            return try money(node, "\(path).\(key)", per: Self.perMillion)
        }
        let tokenPriced = gpuHour == nil
        let rates = TokenRates(
            input: try rate("input", required: tokenPriced) ?? .zero,
            output: try rate("output", required: tokenPriced) ?? .zero,
            cachedInput: try rate("cached_input", required: false),
            cacheWrite5m: try rate("cache_write_5m", required: false),
            cacheWrite1h: try rate("cache_write_1h", required: false),
            reasoning: try rate("reasoning", required: false))
        var tiers: [PriceTier] = []
        if let node = f["tiers"] {
            guard let items = node.sequence else {
                throw PriceCatalogueError(key: "\(path).tiers", "expected a list of tiers")
            }
            for (i, item) in items.enumerated() { tiers.append(try tier(item, path: "\(path).tiers[\(i)]")) }
            let thresholds = tiers.map(\.aboveInputTokens)
            if Set(thresholds).count != thresholds.count {
                throw PriceCatalogueError(key: "\(path).tiers", "two tiers have the same above_input_tokens")
            }
        }
        let fee = try f["request"].map { node throws(PriceCatalogueError) in try money(node, "\(path).request", per: 1)
        }
        let price = ModelPrice(
            provider: provider, model: pattern, effectiveFrom: effectiveFrom, rates: rates, tiers: tiers,
            requestFee: fee ?? .zero, gpuHour: gpuHour, location: origin + path)
        return (price, examples)
    }

    private func tier(_ node: Node, path: String) throws(PriceCatalogueError) -> PriceTier {
        guard let map = node.mapping else { throw PriceCatalogueError(key: path, "expected a mapping") }
        let f = try mapping(map, path: path, allowed: Self.tierKeys)
        guard let thresholdNode = f["above_input_tokens"] else {
            throw PriceCatalogueError(key: "\(path).above_input_tokens", "is required (a token count)")
        }
        let threshold = try integer(thresholdNode, "\(path).above_input_tokens")
        func rate(_ key: String) throws(PriceCatalogueError) -> Money? {
            try f[key].map { node throws(PriceCatalogueError) in
                try money(node, "\(path).\(key)", per: Self.perMillion)
            }
        }
        return PriceTier(
            aboveInputTokens: threshold, input: try rate("input"), output: try rate("output"),
            cachedInput: try rate("cached_input"), cacheWrite5m: try rate("cache_write_5m"),
            cacheWrite1h: try rate("cache_write_1h"), reasoning: try rate("reasoning"))
    }

    private func gpu(_ node: Node, path: String) throws(PriceCatalogueError) -> GPUHourPrice {
        guard let map = node.mapping else {
            throw PriceCatalogueError(key: path, "expected {price: USD per GPU-hour, gpus: count}")
        }
        let f = try mapping(map, path: path, allowed: ["price", "gpus"])
        guard let priceNode = f["price"], let gpusNode = f["gpus"] else {
            throw PriceCatalogueError(key: path, "expected both price (USD per GPU-hour) and gpus")
        }
        let gpus = try integer(gpusNode, "\(path).gpus")
        if gpus < 1 { throw PriceCatalogueError(key: "\(path).gpus", "expected at least 1, got \(gpus)") }
        return GPUHourPrice(pricePerGPUHour: try money(priceNode, "\(path).price", per: 1), gpus: gpus)
    }

    private func mapping(_ map: Node.Mapping, path: String, allowed: Set<String>) throws(PriceCatalogueError)
        -> [String: Node]
    {
        var fields: [String: Node] = [:]
        for (keyNode, value) in map {
            let key = keyNode.scalar?.string ?? ""
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            guard allowed.contains(key) else {
                throw PriceCatalogueError(
                    key: keyPath, "unknown key; expected one of: \(allowed.sorted().joined(separator: ", "))")
            }
            if fields[key] != nil { throw PriceCatalogueError(key: keyPath, "appears twice") }
            fields[key] = value
        }
        return fields
    }

    private func string(_ node: Node, _ key: String) throws(PriceCatalogueError) -> String {
        guard let scalar = node.scalar else { throw PriceCatalogueError(key: key, "expected a string") }
        return scalar.string
    }

    private func integer(_ node: Node, _ key: String) throws(PriceCatalogueError) -> Int64 {
        guard let scalar = node.scalar, let value = Int64(scalar.string), value >= 0 else {
            throw PriceCatalogueError(
                key: key, "expected a non-negative integer, got \(node.scalar?.string ?? "a collection")")
        }
        return value
    }

    private func money(_ node: Node, _ key: String, per divisor: Int128) throws(PriceCatalogueError) -> Money {
        guard let scalar = node.scalar,
            scalar.style == .plain || scalar.style == .singleQuoted
                || scalar.style == .doubleQuoted
        else {
            throw PriceCatalogueError(key: key, "expected a decimal number of USD")
        }
        do throws(MoneyError) {
            let value = try Money(decimal: scalar.string, per: divisor)
            if value < .zero { throw MoneyError(text: scalar.string, reason: "a price cannot be negative") }
            return value
        } catch {
            throw PriceCatalogueError(key: key, "expected a decimal number of USD: \(error.reason)")
        }
    }
}
