import DriftlineCore
import DriftlineTestSupport
import Foundation
import PostgresNIO
import Testing

/// docs/sql.md's cookbook: every query runs, as a member of `driftline_reader`, against fifteen
/// days stored through the pipeline, and its answer is checked — for most of them value by value
/// against a brute-force computation from the events themselves.
@Suite("SQL cookbook", .serialized)
struct CookbookTests {
    struct CookbookQuery {
        var title: String
        var sql: String
    }

    /// The `sql` blocks that follow a `###` heading in the Cookbook section.
    static func cookbook() throws -> [CookbookQuery] {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/sql.md"), encoding: .utf8)
        let section = try #require(text.range(of: "\n## Cookbook\n"), "docs/sql.md has no Cookbook section")
        var queries: [CookbookQuery] = []
        var title: String?
        var block: [String]?
        for line in text[section.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { break }
            if var lines = block {
                if line == "```" {
                    if let heading = title {
                        queries.append(CookbookQuery(title: heading, sql: lines.joined(separator: "\n")))
                    } else {
                        Issue.record("a sql block without a ### heading in the cookbook")
                    }
                    title = nil
                    block = nil
                } else {
                    lines.append(String(line))
                    block = lines
                }
            } else if line.hasPrefix("### ") {
                title = String(line.dropFirst(4))
            } else if line == "```sql" {
                block = []
            }
        }
        return queries
    }

    /// One answer: the rows as JSON objects (column → value) and the time the query saw as now().
    struct Answer {
        var rows: [[String: Any]]
        var now: Double
        var columns: Set<String> { Set(rows.first?.keys.map { $0 } ?? []) }
        func strings(_ column: String) -> [String] { rows.map { "\($0[column] ?? "")" } }
        func number(_ row: [String: Any], _ column: String) -> Double? { (row[column] as? NSNumber)?.doubleValue }
        func row(_ column: String, _ value: String) -> [String: Any]? {
            rows.first { $0[column] as? String == value }
        }
    }

    static func run(_ sql: String, on client: PostgresClient) async throws -> Answer {
        var body = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        if body.hasSuffix(";") { body.removeLast() }
        return try await client.withConnection { connection in
            // One transaction, so the brute force uses the now() the query used.
            try await connection.query("BEGIN READ ONLY", logger: connection.logger)
            try await connection.query("SET LOCAL TIME ZONE 'UTC'", logger: connection.logger)
            var now = 0.0
            for try await value in try await connection.query(
                "SELECT extract(epoch FROM now())::float8", logger: connection.logger
            ).decode(Double.self) {
                now = value
            }
            var rows: [[String: Any]] = []
            do {
                for try await json in try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT row_to_json(q)::text FROM (\(body)) q"), logger: connection.logger
                ).decode(String.self) {
                    rows.append(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] ?? [:])
                }
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: connection.logger)
                throw error
            }
            try await connection.query("ROLLBACK", logger: connection.logger)
            return Answer(rows: rows, now: now)
        }
    }

    @Test func theCookbookAnswersAtLeastTwelveQuestions() throws {
        let queries = try Self.cookbook()
        #expect(queries.count >= 12)
        #expect(Set(queries.map(\.title)).count == queries.count, "two cookbook questions share a heading")
        for query in queries {
            #expect(Self.checks[query.title] != nil, "no check for the cookbook question '\(query.title)'")
        }
    }

    @Test func everyCookbookQueryAnswersRightForAReader() async throws {
        let queries = try Self.cookbook()
        let seed = SQLSurfaceSeed(now: Int64(Date().timeIntervalSince1970))
        try await withTestClient { client, database in
            try await seed.store(client: client, database: database)
            try await SQLSurfaceSeed.withReaderClient(database, admin: client) { reader in
                for query in queries {
                    let answer: Answer
                    do {
                        answer = try await Self.run(query.sql, on: reader)
                    } catch {
                        Issue.record("'\(query.title)' fails for driftline_reader: \(String(reflecting: error))")
                        continue
                    }
                    #expect(!answer.rows.isEmpty, "'\(query.title)' returned no rows")
                    guard let check = Self.checks[query.title], !answer.rows.isEmpty else { continue }
                    check(answer, BruteForce(events: seed.events, now: answer.now))
                }
                // The role reads; it does not write.
                await #expect(throws: (any Error).self) {
                    try await reader.query("DELETE FROM dl_windows")
                }
            }
        }
    }

    // MARK: The checks, by heading

    typealias Check = @Sendable (Answer, BruteForce) -> Void

    static let checks: [String: Check] = [
        "p99 TTFT by model, last week vs the week before": { answer, truth in
            #expect(answer.columns == ["model", "p99_last_week_ms", "p99_week_before_ms"])
            #expect(answer.strings("model") == SQLSurfaceSeed.models.map(\.model).sorted())
            for row in answer.rows {
                let model = row["model"] as? String ?? ""
                let events = truth.events.filter { $0.model == model }
                let lastWeek = events.filter { truth.windowStart($0) >= truth.now - 7 * 86_400 }
                let before = events.filter {
                    truth.windowStart($0) < truth.now - 7 * 86_400 && truth.windowStart($0) >= truth.now - 14 * 86_400
                }
                expectQuantile(answer.number(row, "p99_last_week_ms"), lastWeek.compactMap(\.ttftMilliseconds), 0.99)
                expectQuantile(answer.number(row, "p99_week_before_ms"), before.compactMap(\.ttftMilliseconds), 0.99)
            }
        },
        "Tenants whose spend doubled, last 7 days vs the 7 before": { answer, truth in
            #expect(answer.columns == ["tenant", "previous_7_days", "last_7_days", "ratio"])
            let today = truth.dayStart(truth.now)
            var expected: [String: Double] = [:]
            for tenant in SQLSurfaceSeed.tenants {
                let events = truth.events.filter { $0.dimensions.tenant == tenant }
                let last = events.filter { truth.dayStart($0.seconds) >= today - 7 * 86_400 }.map(BruteForce.cost).sum
                let previous = events.filter {
                    let day = truth.dayStart($0.seconds)
                    return day < today - 7 * 86_400 && day >= today - 14 * 86_400
                }.map(BruteForce.cost).sum
                if last >= 2 * previous { expected[tenant] = last / previous }
            }
            #expect(Set(answer.strings("tenant")) == Set(expected.keys))
            #expect(expected.keys.contains("globex"))
            for row in answer.rows {
                let ratio = expected[row["tenant"] as? String ?? ""] ?? .nan
                #expect(abs((answer.number(row, "ratio") ?? .nan) - ratio) <= 0.0051, "\(row)")
            }
        },
        "Slowest apps at the peak hour of the day": { answer, truth in
            #expect(answer.columns == ["app", "hour_of_day", "requests", "p95_e2e_ms"])
            // The busiest hour of the day: 14:00 UTC each day, unless the incident's hour outweighs it.
            let week = truth.events.filter { truth.hourStart($0.seconds) >= truth.now - 7 * 86_400 }
            let byHour = Dictionary(grouping: week) { Int64(truth.hourStart($0.seconds)) % 86_400 / 3_600 }
            let peak = byHour.max { $0.value.count < $1.value.count }?.key ?? -1
            #expect(answer.rows.allSatisfy { answer.number($0, "hour_of_day") == Double(peak) }, "\(answer.rows)")
            let atPeak = byHour[peak] ?? []
            var p95: [String: Double] = [:]
            for app in SQLSurfaceSeed.apps {
                let events = atPeak.filter { $0.dimensions.app == app }
                p95[app] = BruteForce.exactQuantile(events.map(\.latencyMilliseconds), 0.95)
                let row = answer.row("app", app)
                #expect(answer.number(row ?? [:], "requests") == Double(events.count), "\(app)")
                expectQuantile(answer.number(row ?? [:], "p95_e2e_ms"), events.map(\.latencyMilliseconds), 0.95)
            }
            // The slowest first: its exact p95 is the largest, or within the two histograms' error (0.6 % each)
            // of it — the traffic is generated around the run's time, so two apps can be that close.
            let slowest = p95.values.max() ?? .nan
            let first = answer.strings("app").first ?? ""
            #expect((p95[first] ?? 0) >= slowest * (1 - 0.012), "\(first) first; exact p95s \(p95)")
        },
        "Error rate by provider, last 7 days": { answer, truth in
            #expect(answer.columns == ["provider", "requests", "errors", "error_rate", "by_type"])
            let recent = truth.events.filter { truth.windowStart($0) >= truth.now - 7 * 86_400 }
            #expect(Set(answer.strings("provider")) == Set(recent.map(\.provider)))
            for row in answer.rows {
                let events = recent.filter { $0.provider == row["provider"] as? String }
                let errors = events.filter { $0.status == .error }.count
                #expect(answer.number(row, "requests") == Double(events.count))
                #expect(answer.number(row, "errors") == Double(errors))
                let rate = Double(errors) / Double(events.count)
                #expect(abs((answer.number(row, "error_rate") ?? .nan) - rate) <= 0.00005)
            }
        },
        "Cost per 1 000 requests by team, last 7 days": { answer, truth in
            #expect(answer.columns == ["team", "cost_usd", "priced_requests", "cost_per_1k_requests"])
            let today = truth.dayStart(truth.now)
            let recent = truth.events.filter { truth.dayStart($0.seconds) >= today - 7 * 86_400 }
            #expect(Set(answer.strings("team")) == Set(SQLSurfaceSeed.teams))
            for row in answer.rows {
                let priced = recent.filter { $0.dimensions.team == row["team"] as? String && $0.provider != "vllm" }
                let cost = priced.map(BruteForce.cost).sum
                #expect(answer.number(row, "priced_requests") == Double(priced.count))
                expectClose(answer.number(row, "cost_usd"), cost, "\(row)")
                let perThousand = cost * 1000 / Double(priced.count)
                #expect(abs((answer.number(row, "cost_per_1k_requests") ?? .nan) - perThousand) <= 0.00005)
            }
        },
        "Tokens nobody priced, by model, last 7 days": { answer, truth in
            #expect(answer.columns == ["provider", "model", "unpriced_requests", "unpriced_tokens"])
            #expect(answer.strings("model") == ["llama-3-70b"])
            let today = truth.dayStart(truth.now)
            let unpriced = truth.events.filter {
                $0.provider == "vllm" && truth.dayStart($0.seconds) >= today - 7 * 86_400
            }
            #expect(answer.number(answer.rows[0], "unpriced_requests") == Double(unpriced.count))
            #expect(
                answer.number(answer.rows[0], "unpriced_tokens") == Double(unpriced.map(\.tokens.total).reduce(0, +)))
        },
        "Models with a major PSI shift in the last day": { answer, _ in
            #expect(
                answer.columns == [
                    "model", "feature", "psi", "current_start", "current_end", "reference_start", "reference_end",
                ])
            // The last 20 minutes of gpt-4o have a TTFT 15 times the day before's.
            let row = answer.rows.first { $0["model"] as? String == "gpt-4o" && $0["feature"] as? String == "ttft" }
            #expect((answer.number(row ?? [:], "psi") ?? 0) >= 0.25, "\(answer.rows)")
        },
        "ADWIN events per signal and model, last 7 days": { answer, _ in
            #expect(answer.columns == ["signal", "model", "events", "detections", "latest"])
            let row = answer.rows.first { $0["model"] as? String == "gpt-4o" && $0["signal"] as? String == "ttft" }
            #expect(
                (answer.number(row ?? [:], "events") ?? 0) >= 1, "ADWIN missed the gpt-4o TTFT shift: \(answer.rows)")
        },
        "Alerts fired per rule this week": { answer, _ in
            #expect(answer.columns == ["rule", "severity", "fired", "resolved", "last_change"])
            let row = answer.rows.first {
                ($0["rule"] as? String ?? "").hasPrefix("ttft") && $0["severity"] as? String == "page"
            }
            #expect((answer.number(row ?? [:], "fired") ?? 0) >= 1, "\(answer.rows)")
        },
        "SLO burn rates firing now": { answer, _ in
            #expect(
                answer.columns == [
                    "slo", "burn_tier", "burn_window", "model", "state", "burn_rate_long", "burn_rate_short",
                    "burn_rate_threshold", "active_since",
                ])
            let page = answer.rows.first {
                $0["model"] as? String == "gpt-4o" && $0["burn_tier"] as? String == "page-1h"
                    && $0["state"] as? String == "firing"
            }
            let rate = answer.number(page ?? [:], "burn_rate_long") ?? 0
            #expect(rate >= (answer.number(page ?? [:], "burn_rate_threshold") ?? .infinity), "\(answer.rows)")
            #expect(answer.number(page ?? [:], "burn_rate_threshold") == 14.4)
        },
        "Which SLOs have less than 25 % of their error budget left?": { answer, truth in
            #expect(
                answer.columns == [
                    "slo", "group_labels", "objective_pct", "period_days", "good", "total", "budget_left_pct",
                    "evaluated_at",
                ])
            // The seed's SLO: TTFT at or below 1.5 s for 99 % of the events that measured one, per model, over
            // 30 days (all fifteen of the seed's), evaluated after every record was stored.
            var expected: [String: (good: Int, total: Int, left: Double)] = [:]
            for model in SQLSurfaceSeed.models.map(\.model) {
                let ttfts = truth.events.filter { $0.model == model }.compactMap(\.ttftMilliseconds)
                let good = ttfts.filter { $0 <= 1_500 }.count
                let left = 1 - (Double(ttfts.count - good) / Double(ttfts.count)) / 0.01
                if left < 0.25 { expected[model] = (good, ttfts.count, left) }
            }
            #expect(expected.keys.contains("gpt-4o"), "the TTFT incident overspends gpt-4o's budget")
            let models = answer.rows.map { ($0["group_labels"] as? [String: Any])?["model"] as? String ?? "" }
            #expect(Set(models) == Set(expected.keys), "\(answer.rows)")
            for (row, model) in zip(answer.rows, models) {
                let wanted = expected[model] ?? (-1, -1, .nan)
                #expect(row["slo"] as? String == "ttft")
                #expect(answer.number(row, "objective_pct") == 99 && answer.number(row, "period_days") == 30)
                #expect(answer.number(row, "good") == Double(wanted.good), "\(row)")
                #expect(answer.number(row, "total") == Double(wanted.total), "\(row)")
                #expect(abs((answer.number(row, "budget_left_pct") ?? .nan) - wanted.left * 100) <= 0.051, "\(row)")
            }
            let lefts = answer.rows.compactMap { answer.number($0, "budget_left_pct") }
            #expect(lefts == lefts.sorted(), "least budget first")
        },
        "First appearances of model versions": { answer, truth in
            #expect(answer.columns == ["model", "model_version", "first_seen"])
            #expect(answer.strings("model_version") == ["2024-08-06", "2024-11-20"])
            for row in answer.rows {
                let first =
                    truth.events.filter { $0.dimensions.modelVersion == row["model_version"] as? String }
                    .map(\.start.microsecondsSinceEpoch).min() ?? 0
                let stored = parseTimestamp(row["first_seen"] as? String ?? "") ?? 0
                #expect(abs(stored - Double(first) / 1e6) < 0.001, "\(row)")
                #expect(row["model"] as? String == "gpt-4o")
            }
        },
        "Cache hit share by provider, last 7 days": { answer, truth in
            #expect(answer.columns == ["provider", "cached_input_tokens", "input_tokens", "cache_hit_share"])
            let recent = truth.events.filter { truth.windowStart($0) >= truth.now - 7 * 86_400 }
            #expect(Set(answer.strings("provider")) == Set(recent.map(\.provider)))
            for row in answer.rows {
                let events = recent.filter { $0.provider == row["provider"] as? String }
                let cached = events.map(\.tokens.cachedInput).reduce(0, +)
                let input = events.map(\.tokens.input).reduce(0, +)
                #expect(answer.number(row, "cached_input_tokens") == Double(cached))
                #expect(answer.number(row, "input_tokens") == Double(input))
                #expect(
                    abs((answer.number(row, "cache_hit_share") ?? .nan) - Double(cached) / Double(input)) <= 0.00005)
            }
        },
        "Requests and p95 TTFT per hour for one model, last 24 hours": { answer, truth in
            #expect(answer.columns == ["hour", "requests", "p95_ttft_ms"])
            let recent = truth.events.filter {
                $0.model == "gpt-4o" && truth.hourStart($0.seconds) >= truth.now - 86_400
            }
            let hours = Dictionary(grouping: recent) { truth.hourStart($0.seconds) }
            #expect(answer.rows.count == hours.count)
            for row in answer.rows {
                let hour = parseTimestamp(row["hour"] as? String ?? "") ?? 0
                let events = hours[hour] ?? []
                #expect(answer.number(row, "requests") == Double(events.count), "\(row)")
                expectQuantile(answer.number(row, "p95_ttft_ms"), events.compactMap(\.ttftMilliseconds), 0.95)
            }
        },
        "Budgets: how much of each is spent": { answer, truth in
            #expect(
                answer.columns == [
                    "name", "scope", "scope_value", "period", "amount_usd", "spent_usd", "consumed", "forecast_usd",
                    "state", "evaluated_at",
                ])
            #expect(answer.strings("name") == ["growth-daily"])
            let evaluated = parseTimestamp(answer.rows[0]["evaluated_at"] as? String ?? "") ?? 0
            let spent = truth.events.filter {
                $0.dimensions.team == "growth" && truth.dayStart($0.seconds) == truth.dayStart(evaluated)
                    && $0.seconds < evaluated
            }.map(BruteForce.cost).sum
            expectClose(answer.number(answer.rows[0], "spent_usd"), spent, "growth-daily")
            let state = spent >= 0.5 ? "100" : spent >= 0.4 ? "80" : spent >= 0.25 ? "50" : "ok"
            #expect(answer.rows[0]["state"] as? String == state)
        },
        "Error counts by class per model, last hour": { answer, truth in
            #expect(answer.columns == ["model", "errors", "by_type"])
            let recent = truth.events.filter { truth.windowStart($0) >= truth.now - 3_600 }
            for row in answer.rows {
                let failed = recent.filter { $0.model == row["model"] as? String && $0.status == .error }
                #expect(answer.number(row, "errors") == Double(failed.count), "\(row)")
                let byType = Dictionary(grouping: failed) { $0.errorType ?? "" }.mapValues(\.count)
                let stored = (row["by_type"] as? [String: Any] ?? [:]).mapValues { ($0 as? NSNumber)?.intValue ?? -1 }
                #expect(stored == byType, "\(row)")
            }
        },
        "Records that did not decode, newest first": { answer, _ in
            #expect(answer.columns == ["topic", "partition", "offset", "error_code", "reason"])
            #expect(answer.rows.count == 1)
            #expect(answer.strings("topic") == ["llm.requests"])
            #expect(!(answer.rows[0]["reason"] as? String ?? "").isEmpty)
        },
    ]
}

/// Answers computed from the events alone.
struct BruteForce: Sendable {
    var events: [LLMEvent]
    var now: Double

    func windowStart(_ event: LLMEvent) -> Double { (event.seconds / 60).rounded(.down) * 60 }
    func hourStart(_ seconds: Double) -> Double { (seconds / 3_600).rounded(.down) * 3_600 }
    func dayStart(_ seconds: Double) -> Double { (seconds / 86_400).rounded(.down) * 86_400 }

    /// USD at the seed's catalogue: uncached input, cached input and output at their rates.
    static func cost(_ event: LLMEvent) -> Double {
        let rates: (input: Double, cached: Double, output: Double) =
            switch event.provider {
            case "openai": (2.5, 1.25, 10)
            case "anthropic": (3, 0.3, 15)
            default: (0, 0, 0)
            }
        let tokens = event.tokens
        return
            (Double(tokens.input - tokens.cachedInput) * rates.input + Double(tokens.cachedInput) * rates.cached
            + Double(tokens.output) * rates.output) / 1_000_000
    }

    /// The exact order statistic x_(ceil(q n)).
    static func exactQuantile(_ values: [Double], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = max(1, Int((q * Double(sorted.count)).rounded(.up)))
        return sorted[min(rank, sorted.count) - 1]
    }
}

extension LLMEvent {
    var seconds: Double { Double(start.microsecondsSinceEpoch) / 1_000_000 }
}

extension Array where Element == Double {
    var sum: Double { reduce(0, +) }
}

/// A quantile read from a merged histogram is within 0.54 % of the exact order statistic.
func expectQuantile(
    _ stored: Double?, _ values: [Double], _ q: Double, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let exact = BruteForce.exactQuantile(values, q) else {
        #expect(stored == nil, sourceLocation: sourceLocation)
        return
    }
    let error = abs((stored ?? .nan) - exact) / exact
    #expect(error <= 0.006, "stored \(stored ?? .nan), exact \(exact)", sourceLocation: sourceLocation)
}

func expectClose(
    _ stored: Double?, _ expected: Double, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let error = abs((stored ?? .nan) - expected) / Swift.max(abs(expected), 1e-12)
    #expect(error <= 1e-9, "\(what): stored \(stored ?? .nan), expected \(expected)", sourceLocation: sourceLocation)
}

/// Seconds since the epoch of `2026-12-02T05:00:00+00:00` or `…05:00:00.123456+00:00` (UTC sessions).
func parseTimestamp(_ text: String) -> Double? {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
    guard text.count >= 19, let date = formatter.date(from: String(text.prefix(19))) else { return nil }
    var seconds = date.timeIntervalSince1970
    let rest = text.dropFirst(19)
    if rest.hasPrefix(".") {
        let digits = rest.dropFirst().prefix { $0.isNumber }
        seconds += (Double("0." + digits) ?? 0)
    }
    return seconds
}
