import DriftlineCore
import DriftlineStats
import Logging
import PostgresNIO

@testable import DriftlineStore

/// Six hours of one-minute windows written through the real flush writers into every rolled-up
/// table, with the same data kept in memory as the brute-force model the tests check against.
struct LifecycleSeed: Sendable {
    /// An hour boundary (2025-11-25T12:00:00Z).
    static let base: Int64 = 1_764_072_000
    static let hours: Int64 = 6
    static let models = ["gpt-4o", "claude", "llama"]
    static let tenants = ["acme", "globex"]

    var windows: [WindowKey: WindowAggregate] = [:]
    var costs: [WindowKey: CostAggregate] = [:]
    var spans: [SpanCountKey: SpanCount] = [:]
    var categories: [CategoryKey: Int64] = [:]
    var thresholds: [ThresholdCountKey: ThresholdCount] = [:]
    var quality: [QualityCountKey: QualityCount] = [:]

    /// Deterministic random data: about half of the (minute, model, tenant) cells have traffic.
    init(seed: UInt64 = 7, from: Int64 = base, minutes: Int64 = hours * 60) {
        var random = SplitMix64(seed: seed)
        for minute in 0..<minutes {
            let start = from + minute * 60
            for model in Self.models {
                for tenant in Self.tenants where random.next() % 2 == 0 {
                    let key = WindowKey(
                        windowStart: start, windowSeconds: 60, model: model, provider: "p", tenant: tenant,
                        labelsJSON: #"{"region":"eu"}"#)
                    var aggregate = WindowAggregate()
                    let requests = Int64(random.next() % 5 + 1)
                    aggregate.requests = requests
                    aggregate.inputTokens = requests * 100
                    aggregate.outputTokens = Int64(random.next() % 1_000)
                    if random.next() % 4 == 0 {
                        aggregate.errors = 1
                        aggregate.errorsByType[random.next() % 2 == 0 ? "timeout" : "rate_limit"] = 1
                    }
                    for _ in 0..<requests {
                        aggregate.ttftMilliseconds.record(200 * exp(0.5 * random.normal()))
                        aggregate.latencyMilliseconds.record(900 * exp(0.3 * random.normal()))
                        aggregate.outputTokensDistribution.record(Double(random.next() % 800 + 1))
                    }
                    windows[key] = aggregate
                    // Sampling counters from the same values (no draw: the random stream is unchanged).
                    quality[QualityCountKey(window: key, stratum: "base", rate: 0.1)] = QualityCount(
                        events: requests, sampled: requests / 2, shedQueueFull: requests % 2)
                    var cost = CostAggregate()
                    cost.requests = requests
                    cost.inputTokens = requests * 100
                    if random.next() % 3 == 0 {
                        cost.unpricedRequests = requests
                    } else {
                        cost.cost = Money(units: Int128(random.next() % 1_000_000) * 1_000_000_000_000)
                    }
                    cost.cacheSavings = Money(units: Int128(random.next() % 1_000) * 1_000_000_000_000_000)
                    costs[key] = cost
                    categories[CategoryKey(window: key, feature: "finish_reason", category: "stop")] = requests
                    if random.next() % 3 == 0 {
                        categories[CategoryKey(window: key, feature: "finish_reason", category: "length")] = 1
                    }
                    thresholds[ThresholdCountKey(window: key, metric: "ttft", thresholdMilliseconds: 250)] =
                        ThresholdCount(measured: requests, atOrBelow: Int64(random.next() % UInt64(requests + 1)))
                }
            }
            for operation in ["retrieval", "tool"] where random.next() % 2 == 0 {
                spans[
                    SpanCountKey(
                        windowStart: start, windowSeconds: 60, app: "rag", environment: "prod", operation: operation)] =
                    SpanCount(spans: Int64(random.next() % 9 + 1), errors: Int64(random.next() % 2))
            }
        }
    }

    /// Writes everything through `AggregateStore.write`, one flush per hour of data.
    func write(to store: AggregateStore) async throws {
        let hourOf = { (start: Int64) in start - start % 3_600 }
        let hours = Set(windows.keys.map { hourOf($0.windowStart) } + spans.keys.map { hourOf($0.windowStart) })
        for hour in hours.sorted() {
            let batch = FlushBatch(
                consumerGroup: "g", offsets: [],
                rows: [
                    WindowRows(windows.filter { hourOf($0.key.windowStart) == hour }),
                    CostRows(costs.filter { hourOf($0.key.windowStart) == hour }),
                    SpanCountRows(spans.filter { hourOf($0.key.windowStart) == hour }),
                    CategoryCountRows(categories.filter { hourOf($0.key.window.windowStart) == hour }),
                    ThresholdCountRows(thresholds.filter { hourOf($0.key.window.windowStart) == hour }),
                    QualityCountRows(
                        consumerGroup: "lifecycle-seed", analyser: "quality_sampler",
                        counts: quality.filter { hourOf($0.key.window.windowStart) == hour }, states: [:]),
                ])
            guard try await store.write(batch) == .committed else {
                throw StoreError(.init("seed"), "the seed flush was not committed")
            }
        }
    }

    /// The model's window aggregate per model over windows starting in `range`.
    func windowsByModel(_ range: Range<Int64>) -> [String: WindowAggregate] {
        var merged: [String: WindowAggregate] = [:]
        for (key, aggregate) in windows where range.contains(key.windowStart) {
            merged[key.model, default: WindowAggregate()].merge(aggregate)
        }
        return merged
    }
}

/// What the lifecycle tests read back from PostgreSQL.
enum LifecycleReadings {
    /// A histogram's exact content as text, without its floating-point `sum` (whose rounding
    /// depends on the order of the additions; it is compared with a tolerance instead).
    static func histogramText(_ expression: String) -> String {
        "ROW((\(expression)).scale, (\(expression)).zero_count, (\(expression)).count, (\(expression)).min, "
            + "(\(expression)).max, (\(expression)).idx, (\(expression)).cnt)::text"
    }

    /// Every group of `table`'s key over the windows starting in `range`, merged by the table's
    /// own rules: what any query summing over the range sees.
    static func range(_ table: RollupTable, _ range: Range<Int64>, client: PostgresClient) async throws -> [String] {
        let keys = table.keyColumns.joined(separator: ", ")
        let values = table.merged.map { column -> String in
            let merged = column.rule.aggregate(column.name)
            if column.rule == .histogram {
                return histogramText(merged) + ", round((\(merged)).sum::numeric, 6)::text"
            }
            return "(\(merged))::text"
        }
        return try await texts(
            """
            SELECT concat_ws(' | ', \(keys), \(values.joined(separator: ", ")))
            FROM \(table.name)
            WHERE window_start >= to_timestamp(\(range.lowerBound)) AND window_start < to_timestamp(\(range.upperBound))
            GROUP BY \(keys) ORDER BY \(keys)
            """, client: client)
    }

    /// Every row of `table` (without `updated_at`), ordered.
    static func rows(_ table: RollupTable, client: PostgresClient) async throws -> [String] {
        let columns =
            ["window_start::text", "window_seconds::text"] + table.keyColumns.map { "\($0)::text" }
            + table.merged.map { $0.rule == .histogram ? histogramText($0.name) : "\($0.name)::text" }
        return try await texts(
            "SELECT concat_ws(' | ', \(columns.joined(separator: ", "))) FROM \(table.name) ORDER BY 1",
            client: client)
    }

    static func texts(_ sql: String, client: PostgresClient) async throws -> [String] {
        var texts: [String] = []
        for try await text in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(String.self) {
            texts.append(text)
        }
        return texts.sorted()
    }

    static func count(_ sql: String, client: PostgresClient) async throws -> Int64 {
        var count: Int64 = -1
        for try await value in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Int64.self) {
            count = value
        }
        return count
    }
}
