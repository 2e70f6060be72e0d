import Testing

@testable import DriftlineCore

private func perMillion(_ text: String) -> Money {
    (try? Money(decimal: text, per: 1_000_000)) ?? .zero
}

private func usd(_ text: String) -> Money {
    (try? Money(decimal: text)) ?? Money(units: -1)
}

private func day(_ text: String) -> EventTime {
    EventTime(rfc3339: text + "T00:00:00Z") ?? .epoch
}

private func event(_ model: String, provider: String = "openai", at: String = "2026-06-01", tokens: TokenCounts)
    -> LLMEvent
{
    let start = EventTime(rfc3339: at.count == 10 ? at + "T12:00:00Z" : at) ?? .epoch
    return LLMEvent(start: start, end: start, model: model, provider: provider, tokens: tokens)
}

@Suite struct PriceCatalogueTests {
    static let gemini = ModelPrice(
        provider: "gemini", model: .exact("gemini-2.5-pro"),
        rates: TokenRates(input: perMillion("1.25"), output: perMillion("10"), cachedInput: perMillion("0.125")),
        tiers: [
            PriceTier(
                aboveInputTokens: 200_000, input: perMillion("2.5"), output: perMillion("15"),
                cachedInput: perMillion("0.25"))
        ])

    /// Google bills a request whose prompt is above 200 000 tokens entirely at the long-context
    /// rate; at exactly 200 000 the base rate applies. Costs computed by hand.
    @Test func tierBoundary() throws {
        let catalogue = try PriceCatalogue([Self.gemini])
        let at = catalogue.cost(
            of: event("gemini-2.5-pro", provider: "gemini", tokens: .init(input: 200_000, output: 1000)))
        // 200 000 × 1.25 + 1000 × 10 = 250 000 + 10 000 = 260 000 per million = 0.26
        #expect(at == usd("0.26"))
        let above = catalogue.cost(
            of: event("gemini-2.5-pro", provider: "gemini", tokens: .init(input: 200_001, output: 1000)))
        // 200 001 × 2.5 + 1000 × 15 = 500 002.5 + 15 000 = 515 002.5 per million
        #expect(above == usd("0.5150025"))
        let cached = catalogue.cost(
            of: event(
                "gemini-2.5-pro", provider: "gemini",
                tokens: .init(input: 300_000, output: 0, cachedInput: 100_000, reasoning: 0)))
        // 200 000 × 2.5 + 100 000 × 0.25 = 500 000 + 25 000 per million
        #expect(cached == usd("0.525"))
    }

    @Test func reasoningDefaultsToOutputAndOneHourWritesToFiveMinute() throws {
        let rates = TokenRates(input: perMillion("1"), output: perMillion("4"), cacheWrite5m: perMillion("1.25"))
        let tokens = TokenCounts(input: 1000, output: 500, cacheWrite: 200, cacheWrite1h: 50, reasoning: 300)
        // 800 × 1 + 150 × 1.25 + 50 × 1.25 + 200 × 4 + 300 × 4 = 800 + 187.5 + 62.5 + 800 + 1200 = 3050
        #expect(rates.cost(of: tokens) == perMillion("3050"))
        var explicit = rates
        explicit.reasoning = perMillion("8")
        explicit.cacheWrite1h = perMillion("2")
        // 800 + 187.5 + 100 + 800 + 2400 = 4287.5
        #expect(explicit.cost(of: tokens) == perMillion("4287.5"))
    }

    @Test func requestFeeAndCacheSavings() throws {
        let price = ModelPrice(
            provider: "openai", model: .exact("m"),
            rates: TokenRates(input: perMillion("2"), output: perMillion("8"), cachedInput: perMillion("0.5")),
            requestFee: usd("0.01"))
        let tokens = TokenCounts(input: 1000, output: 100, cachedInput: 400)
        // 600 × 2 + 400 × 0.5 + 100 × 8 = 1200 + 200 + 800 = 2200 per million, + 0.01
        #expect(price.cost(of: tokens) == usd("0.0122"))
        // 400 × (2 − 0.5) = 600 per million
        #expect(price.cacheSavings(of: tokens) == usd("0.0006"))
    }

    @Test func effectiveDatesNeverRewriteHistory() throws {
        let old = ModelPrice(
            provider: "openai", model: .exact("gpt-x"), effectiveFrom: day("2026-01-01"),
            rates: TokenRates(input: perMillion("5"), output: perMillion("15")), location: "old")
        let cut = ModelPrice(
            provider: "openai", model: .exact("gpt-x"), effectiveFrom: day("2026-03-01"),
            rates: TokenRates(input: perMillion("2.5"), output: perMillion("10")), location: "cut")
        let catalogue = try PriceCatalogue([cut, old])
        let tokens = TokenCounts(input: 1_000_000, output: 0)
        #expect(catalogue.cost(of: event("gpt-x", at: "2026-02-28T23:59:59Z", tokens: tokens)) == usd("5"))
        #expect(catalogue.cost(of: event("gpt-x", at: "2026-03-01T00:00:00Z", tokens: tokens)) == usd("2.5"))
        #expect(catalogue.cost(of: event("gpt-x", at: "2025-12-31", tokens: tokens)) == nil)
    }

    @Test func mostSpecificPatternWins() throws {
        let regex = try ModelRegex("gpt-4o.*")
        let catalogue = try PriceCatalogue([
            ModelPrice(provider: "*", model: .regex(regex), rates: TokenRates(input: usd("4"), output: .zero)),
            ModelPrice(provider: "openai", model: .glob("gpt-4o*"), rates: TokenRates(input: usd("3"), output: .zero)),
            ModelPrice(
                provider: "openai", model: .glob("gpt-4o-mini*"), rates: TokenRates(input: usd("2"), output: .zero)),
            ModelPrice(
                provider: "openai", model: .exact("gpt-4o-mini"), rates: TokenRates(input: usd("1"), output: .zero)),
        ])
        let one = TokenCounts(input: 1, output: 0)
        #expect(catalogue.cost(of: event("gpt-4o-mini", tokens: one)) == usd("1"))
        #expect(catalogue.cost(of: event("gpt-4o-mini-2024-07-18", tokens: one)) == usd("2"))
        #expect(catalogue.cost(of: event("gpt-4o-2024-08-06", tokens: one)) == usd("3"))
        #expect(catalogue.cost(of: event("gpt-4o-2024-08-06", provider: "azure", tokens: one)) == usd("4"))
        #expect(catalogue.cost(of: event("gpt-4o", provider: "", tokens: one)) == usd("4"))
        #expect(catalogue.cost(of: event("o3", tokens: one)) == nil)
    }

    @Test func equallySpecificOverlappingGlobsAreAnError() {
        #expect(throws: PriceCatalogueError.self) {
            try PriceCatalogue([
                ModelPrice(
                    provider: "openai", model: .glob("gpt-4o-*"), rates: TokenRates(input: .zero, output: .zero)),
                ModelPrice(
                    provider: "openai", model: .glob("*4o-mini"), rates: TokenRates(input: .zero, output: .zero)),
            ])
        }
        // Same literal count but disjoint: allowed.
        #expect(throws: Never.self) {
            try PriceCatalogue([
                ModelPrice(
                    provider: "openai", model: .glob("gpt-4o-*"), rates: TokenRates(input: .zero, output: .zero)),
                ModelPrice(
                    provider: "openai", model: .glob("gpt-5o-*"), rates: TokenRates(input: .zero, output: .zero)),
            ])
        }
    }

    @Test func overlappingRegexesAreAnErrorWhenAnExampleShowsIt() throws {
        let a = try ModelRegex("claude-.*")
        let b = try ModelRegex(".*-sonnet-.*")
        #expect(throws: PriceCatalogueError.self) {
            try PriceCatalogue(
                [
                    ModelPrice(provider: "anthropic", model: .regex(a), rates: TokenRates(input: .zero, output: .zero)),
                    ModelPrice(provider: "anthropic", model: .regex(b), rates: TokenRates(input: .zero, output: .zero)),
                ], regexExamples: [.regex(a): ["claude-3-sonnet-x"]])
        }
    }

    @Test func duplicateEffectiveDateIsAnError() {
        let entry = ModelPrice(provider: "openai", model: .exact("m"), rates: TokenRates(input: .zero, output: .zero))
        #expect(throws: PriceCatalogueError.self) { try PriceCatalogue([entry, entry]) }
    }

    /// Brute force oracle: every string up to length 5 over {a, b} that both globs match.
    @Test func globIntersectionMatchesBruteForce() {
        let alphabet: [Unicode.Scalar] = ["a", "b"]
        var strings: [[Unicode.Scalar]] = [[]]
        var frontier: [[Unicode.Scalar]] = [[]]
        for _ in 0..<5 {
            frontier = frontier.flatMap { prefix in alphabet.map { prefix + [$0] } }
            strings += frontier
        }
        let symbols: [Unicode.Scalar] = ["a", "b", "*", "?"]
        var patterns: [[Unicode.Scalar]] = [[]]
        var level: [[Unicode.Scalar]] = [[]]
        for _ in 0..<3 {
            level = level.flatMap { prefix in symbols.map { prefix + [$0] } }
            patterns += level
        }
        for x in patterns {
            for y in patterns {
                // A common match of two patterns of ≤ 3 symbols, if any, has length ≤ 5 here.
                let brute = strings.contains { Glob.matches(x, $0) && Glob.matches(y, $0) }
                #expect(
                    Glob.intersect(x, y) == brute,
                    "\(String(String.UnicodeScalarView(x))) ∩ \(String(String.UnicodeScalarView(y)))")
            }
        }
    }

    @Test func liteLLMImportReadsNumbersFromText() throws {
        let json = """
            {"sample_spec": {"input_cost_per_token": 0.0},
             "gemini/gemini-x": {"litellm_provider": "gemini", "input_cost_per_token": 1.25e-07,
                "output_cost_per_token": 1e-06, "cache_read_input_token_cost": 3.125e-08,
                "input_cost_per_token_above_200k_tokens": 2.5e-07, "output_cost_per_token_above_200k_tokens": 1.5e-06,
                "input_cost_per_token_batches": 6e-08, "supports_vision": true, "supported_regions": ["global"]},
             "claude-y": {"litellm_provider": "anthropic", "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
                "cache_creation_input_token_cost": 3.75e-06, "cache_creation_input_token_cost_above_1hr": 6e-06},
             "dall-e": {"litellm_provider": "openai", "output_cost_per_image": 0.04}}
            """
        let result = try LiteLLMPriceImport.convert(json: Array(json.utf8))
        #expect(result.prices.count == 2)
        #expect(result.skipped.map { $0.key } == ["dall-e"])
        let gemini = try #require(result.prices.first { $0.provider == "gemini" })
        #expect(gemini.model == .exact("gemini-x"))
        #expect(gemini.rates.input == usd("0.000000125"))
        #expect(gemini.rates.cachedInput == usd("0.00000003125"))
        #expect(
            gemini.tiers == [PriceTier(aboveInputTokens: 200_000, input: usd("0.00000025"), output: usd("0.0000015"))])
        let claude = try #require(result.prices.first { $0.provider == "anthropic" })
        #expect(claude.rates.cacheWrite5m == usd("0.00000375"))
        #expect(claude.rates.cacheWrite1h == usd("0.000006"))
        // The YAML written for these entries is checked in PriceCatalogueYAMLTests, next to the reader.
    }
}

@Suite struct PriceCatalogueDiagnosticsTests {
    @Test func shadowedPatternsAreListed() throws {
        let zero = TokenRates(input: .zero, output: .zero)
        let catalogue = try PriceCatalogue([
            ModelPrice(provider: "openai", model: .glob("gpt-4o*"), rates: zero, location: "glob"),
            ModelPrice(provider: "openai", model: .exact("gpt-4o-mini"), rates: zero, location: "exact"),
            ModelPrice(provider: "openai", model: .exact("o3"), rates: zero, location: "other"),
        ])
        let overlaps = catalogue.shadowedPatterns()
        #expect(overlaps.count == 1)
        #expect(overlaps.first?.contains("model: gpt-4o-mini (exact") == true)
        #expect(overlaps.first?.contains("model_glob: gpt-4o* (glob") == true)
    }

    @Test(arguments: [
        "{\"a\": {\"litellm_provider\": \"openai\", \"input_cost_per_token\": 1e-06", "[1, 2]", "{\"a\": 01}",
    ])
    func malformedLiteLLMFilesAreRefused(json: String) {
        #expect(throws: PriceCatalogueError.self) { try LiteLLMPriceImport.convert(json: Array(json.utf8)) }
    }
}
