import DriftlineStats
import DriftlineStore
import DriftlineTestSupport
import Foundation
import PostgresNIO
import Testing

/// dl_latency_minute and dl_latency_hour when dl_windows holds windows of several sizes: an hour
/// stored as sixty 1-minute windows, the same values stored as one 1-hour window (as an exact
/// rollup writes it), and an hour half rolled up (late minutes beside the hour row) give the
/// same hour row — counts and quantiles identical — and the quantiles are within the
/// histogram's bound of the exact order statistics of the values.
@Suite("Latency views")
struct LatencyViewTests {
    static let hour: Int64 = 1_780_315_200  // 2026-06-01T12:00:00Z

    /// 600 TTFTs, 10 in each minute of the hour, spread over three orders of magnitude.
    static func values() -> [[Double]] {
        var random = SplitMix64(seed: 12)
        return (0..<60).map { _ in (0..<10).map { _ in random.logNormal(median: 400, sigma: 0.9) } }
    }

    static func aggregate(_ values: [Double]) -> WindowAggregate {
        var aggregate = WindowAggregate()
        aggregate.requests = Int64(values.count)
        for value in values {
            aggregate.ttftMilliseconds.record(value)
            aggregate.latencyMilliseconds.record(value * 3)
        }
        return aggregate
    }

    @Test func anHourIsTheSameWhateverWindowsHoldIt() async throws {
        let minutes = Self.values()
        var windows: [WindowKey: WindowAggregate] = [:]
        func key(_ start: Int64, _ seconds: Int32) -> WindowKey {
            WindowKey(windowStart: start, windowSeconds: seconds, model: "m", provider: "p")
        }
        // Hour 0: sixty minutes. Hour 1: one 1-hour row. Hour 2: minutes 0–29 rolled into the hour
        // row, minutes 30–59 still 1-minute rows.
        for (minute, values) in minutes.enumerated() {
            windows[key(Self.hour + Int64(minute) * 60, 60)] = Self.aggregate(values)
            if minute >= 30 { windows[key(Self.hour + 7_200 + Int64(minute) * 60, 60)] = Self.aggregate(values) }
        }
        windows[key(Self.hour + 3_600, 3_600)] = Self.aggregate(minutes.flatMap { $0 })
        windows[key(Self.hour + 7_200, 3_600)] = Self.aggregate(minutes.prefix(30).flatMap { $0 })

        let batch = FlushBatch(consumerGroup: "g", windows: windows, deadLetters: [], offsets: [])
        try await withTestClient { client, _ in
            let logger = TestLogging.logger("test")
            try await Migrator().migrate(client: client, logger: logger)
            let store = AggregateStore(client: client, logger: logger)
            #expect(try await store.write(batch) == .committed)
            var hours: [Int64: [Double]] = [:]
            let rows = try await client.query(
                """
                SELECT extract(epoch FROM hour)::int8, requests::float8, dl_hist_count(ttft_ms)::float8,
                       ttft_p50_ms, ttft_p95_ms, ttft_p99_ms, e2e_p99_ms
                FROM dl_latency_hour ORDER BY 1
                """)
            for try await row in rows.decode((Int64, Double, Double, Double, Double, Double, Double).self) {
                hours[row.0] = [row.1, row.2, row.3, row.4, row.5, row.6]
            }
            #expect(hours.keys.sorted() == [Self.hour, Self.hour + 3_600, Self.hour + 7_200])
            #expect(hours[Self.hour] == hours[Self.hour + 3_600], "an hour of minutes and a rolled-up hour differ")
            #expect(hours[Self.hour] == hours[Self.hour + 7_200], "a half rolled-up hour differs")
            let all = minutes.flatMap { $0 }
            let row = hours[Self.hour] ?? []
            #expect(row.first == 600 && row.dropFirst().first == 600)
            for (index, q) in [0.5, 0.95, 0.99].enumerated() {
                expectQuantile(row[2 + index], all, q)
            }
            expectQuantile(row[5], all.map { $0 * 3 }, 0.99)

            // The minute view takes the 1-minute windows only: 60 + 30 minutes.
            var minuteRows: [Int64] = []
            for try await count in try await client.query(
                "SELECT count(*)::int8 FROM dl_latency_minute GROUP BY date_trunc('hour', minute, 'UTC') ORDER BY 1"
            ).decode(Int64.self) {
                minuteRows.append(count)
            }
            #expect(minuteRows == [30, 60])
            // And a minute's quantile is its own values'.
            for try await p99 in try await client.query(
                "SELECT ttft_p99_ms FROM dl_latency_minute WHERE minute = to_timestamp(\(Self.hour + 600))"
            ).decode(Double.self) {
                expectQuantile(p99, minutes[10], 0.99)
            }
        }
    }
}
