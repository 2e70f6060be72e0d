import DriftlineCore
import DriftlineStats
import DriftlineStore
import DriftlineTestSupport
import Logging
import PostgresNIO
import Testing

@testable import DriftlinePipeline

/// Costs through windows into Postgres and back out of the SQL views, against a real server.
@Suite("Cost store", .serialized)
struct CostStoreTests {
    static let t0: Int64 = 1_764_547_200  // 2025-12-01T00:00:00Z, a Monday and a month start

    static func money(_ text: String) -> Money { (try? Money(decimal: text)) ?? Money(units: -1) }

    static func catalogue() throws -> PriceCatalogue {
        try PriceCatalogue.parse(
            yaml: """
                prices:
                  - {provider: openai, model: gpt-odd, input: 0.1234567, output: 1.7654321, cached_input: 0.0123457}
                  - {provider: openai, model: gpt-4o, input: 2.5, output: 10, cached_input: 1.25}
                  - {provider: vllm, model: llama, gpu_hour: {price: 2.40, gpus: 8}}
                """)
    }

    static func event(
        _ model: String, provider: String = "openai", at seconds: Int64, tenant: String = "acme", team: String = "core",
        tokens: TokenCounts
    ) -> LLMEvent {
        let start = EventTime(secondsSinceEpoch: seconds)
        return LLMEvent(
            start: start, end: start, model: model, provider: provider,
            dimensions: EventDimensions(tenant: tenant, team: team), tokens: tokens)
    }

    static func single(_ client: PostgresClient, _ sql: String) async throws -> String? {
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql), logger: TestLogging.logger("test"))
        for try await value in rows.decode(String?.self) { return value }
        return nil
    }

    /// A million small costs, folded into windows, flushed in ten transactions and summed in
    /// SQL, give exactly the total that the token sums times the prices give (computed by
    /// Postgres from the token counters alone, an independent path).
    @Test func aMillionSmallCostsSumExactly() async throws {
        try await withTestClient { client, _ in
            let logger = TestLogging.logger("test")
            let store = AggregateStore(client: client, logger: logger)
            try await Migrator().migrate(client: client, logger: logger)
            var costs = PricedCosts(
                catalogue: try Self.catalogue(),
                dimensions: WindowGrouping(windowSeconds: 60, dimensions: [.model, .provider, .tenant], labels: []))
            var random = SplitMix64(seed: 42)
            let tenants = ["a", "b", "c", "d"]
            var doubleSum = 0.0
            for i in 0..<1_000_000 {
                let input = Int64(random.next() % 50) + 1
                let cached = Int64(random.next() % UInt64(input + 1))
                let tokens = TokenCounts(input: input, output: Int64(random.next() % 20), cachedInput: cached)
                let event = Self.event(
                    "gpt-odd", at: Self.t0 + Int64(i % 3600), tenant: tenants[i % 4], tokens: tokens)
                costs.add(event)
                doubleSum +=
                    Double(tokens.uncachedInput) * 0.1234567e-6 + Double(tokens.cachedInput) * 0.0123457e-6
                    + Double(tokens.output) * 1.7654321e-6
                if (i + 1) % 100_000 == 0 {
                    #expect(try await store.write(FlushBatch(consumerGroup: "g", costs: costs.take())) == .committed)
                }
            }
            let summed = try await Self.single(client, "SELECT sum(cost_usd)::text FROM dl_costs")
            let fromTokens = try await Self.single(
                client,
                """
                SELECT (sum(input_tokens - cached_input_tokens) * 0.0000001234567
                        + sum(cached_input_tokens) * 0.0000000123457
                        + sum(output_tokens) * 0.0000017654321)::text FROM dl_costs
                """)
            let requests = try await Self.single(client, "SELECT sum(requests)::text FROM dl_costs")
            #expect(requests == "1000000")
            let total = try #require(summed)
            let expected = try #require(fromTokens)
            #expect(Self.money(total) == Self.money(expected), "\(total) vs \(expected)")
            print("a million costs: exact total \(Self.money(total)) USD; a Double running sum gave \(doubleSum)")
        }
    }

    @Test func unpricedEventsAreNullNeverZero() async throws {
        try await withTestClient { client, _ in
            let logger = TestLogging.logger("test")
            let store = AggregateStore(client: client, logger: logger)
            try await Migrator().migrate(client: client, logger: logger)
            var costs = PricedCosts(
                catalogue: try Self.catalogue(),
                dimensions: WindowGrouping(windowSeconds: 60, dimensions: [.model, .provider, .tenant], labels: []))
            costs.add(Self.event("mystery-1", at: Self.t0, tokens: .init(input: 100, output: 7)))
            costs.add(Self.event("gpt-4o", at: Self.t0, tokens: .init(input: 1000, output: 100, cachedInput: 400)))
            #expect(try await store.write(FlushBatch(consumerGroup: "g", costs: costs.take())) == .committed)
            // A later flush with another unpriced event keeps the row NULL.
            costs.add(Self.event("mystery-1", at: Self.t0 + 5, tokens: .init(input: 1, output: 1)))
            #expect(try await store.write(FlushBatch(consumerGroup: "g", costs: costs.take())) == .committed)

            let spend = try await store.spend(by: "model", from: Self.t0, to: Self.t0 + 60)
            let mystery = try #require(spend.first { $0.value == "mystery-1" })
            #expect(mystery.costUSD == nil)
            #expect(mystery.unpricedRequests == 2)
            #expect(mystery.unpricedTokens == 109)
            let priced = try #require(spend.first { $0.value == "gpt-4o" })
            // 600 × 2.5 + 400 × 1.25 + 100 × 10 = 1500 + 500 + 1000 = 3000 per million
            #expect(Self.money(try #require(priced.costUSD)) == Self.money("0.003"))
            // 3000 per million per request → 3 USD per 1 000 requests
            #expect(Self.money(try #require(priced.costPer1kRequests)) == Self.money("3"))
            // 400 × (2.5 − 1.25) = 500 per million
            #expect(Self.money(try #require(priced.cacheSavingsUSD)) == Self.money("0.0005"))
            let unpriced = try await store.unpricedModels(since: Self.t0)
            #expect(unpriced.count == 1)
            #expect(unpriced.first?.model == "mystery-1")
            #expect(unpriced.first?.requests == 2)
            #expect(unpriced.first?.inputTokens == 101)
            #expect(unpriced.first?.outputTokens == 8)
        }
    }

    /// 8 GPUs × 2.40 USD × 60 s / 3600 s = 0.32 USD per window, shared by tokens: rows of 300
    /// and 100 tokens (written by two flushes, as two consumers would) get 0.24 and 0.08.
    @Test func gpuHoursAreSpreadOverTheWindowsTokens() async throws {
        try await withTestClient { client, _ in
            let logger = TestLogging.logger("test")
            let store = AggregateStore(client: client, logger: logger)
            try await Migrator().migrate(client: client, logger: logger)
            let catalogue = try Self.catalogue()
            try await store.syncGPUPrices(catalogue)
            let dimensions = WindowGrouping(windowSeconds: 60, dimensions: [.model, .provider, .tenant], labels: [])
            var first = PricedCosts(catalogue: catalogue, dimensions: dimensions)
            var second = PricedCosts(catalogue: catalogue, dimensions: dimensions)
            first.add(
                Self.event("llama", provider: "vllm", at: Self.t0, tenant: "a", tokens: .init(input: 200, output: 100)))
            second.add(
                Self.event(
                    "llama", provider: "vllm", at: Self.t0 + 1, tenant: "b", tokens: .init(input: 60, output: 40)))
            #expect(try await store.write(FlushBatch(consumerGroup: "g", costs: first.take())) == .committed)
            #expect(try await store.write(FlushBatch(consumerGroup: "g", costs: second.take())) == .committed)
            let spend = try await store.spend(by: "tenant", from: Self.t0, to: Self.t0 + 60)
            #expect(spend.map(\.value) == ["a", "b"])
            #expect(Self.money(try #require(spend[0].costUSD)) == Self.money("0.24"))
            #expect(Self.money(try #require(spend[1].costUSD)) == Self.money("0.08"))
        }
    }

    @Test func budgetsMoveThroughTheirStates() async throws {
        try await withTestClient { client, _ in
            let logger = TestLogging.logger("test")
            let store = AggregateStore(client: client, logger: logger)
            try await Migrator().migrate(client: client, logger: logger)
            try await store.syncBudgets([
                StoredBudget(
                    name: "core-daily", scope: "team", value: "core", period: "daily", amountUSD: Self.money("100")),
                StoredBudget(
                    name: "acme-monthly", scope: "tenant", value: "acme", period: "monthly",
                    amountUSD: Self.money("10000")),
            ])
            var costs = PricedCosts(
                catalogue: try Self.catalogue(),
                dimensions: WindowGrouping(
                    windowSeconds: 60, dimensions: [.model, .provider, .tenant, .team], labels: []))
            // 24 M input tokens of gpt-4o at 2.5 per million = 60 USD, at 01:00.
            costs.add(Self.event("gpt-4o", at: Self.t0 + 3600, tokens: .init(input: 24_000_000, output: 0)))
            #expect(try await store.write(FlushBatch(consumerGroup: "g", costs: costs.take())) == .committed)
            // At 02:00: 60 spent of 100 → 50 %; burn over the last 2 h (the day so far, < 3 h) is 30/h,
            // so the forecast is 60 + 30 × 22 = 720 > 100.
            var states = try await store.evaluateBudgets(at: Self.t0 + 7200)
            let daily = try #require(states.first { $0.name == "core-daily" })
            #expect(daily.state == "50")
            #expect(Self.money(daily.spentUSD) == Self.money("60"))
            #expect(Self.money(daily.forecastUSD) == Self.money("720"))
            #expect(daily.forecastExceeds)
            let monthly = try #require(states.first { $0.name == "acme-monthly" })
            #expect(monthly.state == "ok")
            // 25 M more at 02:30 → 122.5 USD → 100 %.
            costs.add(Self.event("gpt-4o", at: Self.t0 + 9000, tokens: .init(input: 25_000_000, output: 0)))
            #expect(try await store.write(FlushBatch(consumerGroup: "g", costs: costs.take())) == .committed)
            states = try await store.evaluateBudgets(at: Self.t0 + 10_800)
            #expect(states.first { $0.name == "core-daily" }?.state == "100")
            let alerts = try await client.query("SELECT rule, subject FROM dl_cost_alerts ORDER BY rule, subject")
            var rules: [String] = []
            for try await (rule, subject) in alerts.decode((String, String).self) { rules.append("\(rule) \(subject)") }
            #expect(rules.contains("budget_100 core-daily"))
            #expect(rules.contains("budget_forecast core-daily"))
            // A budget removed from the configuration disappears with its state.
            try await store.syncBudgets([])
            #expect(try await store.evaluateBudgets(at: Self.t0 + 10_800).isEmpty)
        }
    }

    @Test func topSpendersAndForecast() async throws {
        try await withTestClient { client, _ in
            let logger = TestLogging.logger("test")
            let store = AggregateStore(client: client, logger: logger)
            try await Migrator().migrate(client: client, logger: logger)
            var costs = PricedCosts(
                catalogue: try Self.catalogue(),
                dimensions: WindowGrouping(windowSeconds: 60, dimensions: [.model, .provider, .team], labels: []))
            // Team x: 1 USD per day for 10 days; team y: 3 USD on day 9 only.
            for day in 0..<10 {
                costs.add(
                    Self.event(
                        "gpt-4o", at: Self.t0 + Int64(day) * 86_400, team: "x", tokens: .init(input: 400_000, output: 0)
                    ))
            }
            costs.add(
                Self.event("gpt-4o", at: Self.t0 + 9 * 86_400, team: "y", tokens: .init(input: 1_200_000, output: 0)))
            #expect(try await store.write(FlushBatch(consumerGroup: "g", costs: costs.take())) == .committed)
            let top = try await client.query(
                "SELECT value, cost_usd::text FROM dl_top_spenders('team', to_timestamp(\(Self.t0)), to_timestamp(\(Self.t0 + 864_000)), 1)"
            )
            var rows: [(String, String)] = []
            for try await row in top.decode((String, String).self) { rows.append(row) }
            #expect(rows.count == 1)
            #expect(rows.first?.0 == "x")
            #expect(Self.money(rows.first?.1 ?? "") == Self.money("10"))
            // At day 10 00:00 (Dec 11): x has 10 USD month to date and burnt 7 in the last 7 days
            // → 1 per day × 21 days left → 31 USD.
            let forecast = try await client.query(
                "SELECT value, forecast_usd::text FROM dl_spend_forecast('team', to_timestamp(\(Self.t0 + 864_000))) WHERE value = 'x'"
            )
            var forecasts: [String] = []
            for try await (_, value) in forecast.decode((String, String).self) { forecasts.append(value) }
            #expect(forecasts.count == 1)
            #expect(forecasts.map(Self.money) == [Self.money("31")], "\(forecasts)")
        }
    }
}
