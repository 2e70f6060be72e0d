import DriftlineStats
import DriftlineTestSupport
import Logging
import PostgresNIO
import Testing

@testable import DriftlineStore

/// The store's last line of defence behind the decoders' limits: rows PostgreSQL refuses are
/// set aside in `dl_rejected_rows`, and the rest of the flush is stored with its offsets.
@Suite("Poison rows")
struct PoisonRowTests {
    let partition = SourcePartition(topic: "llm.requests", partition: 0)

    static func randomText(_ count: Int, seed: UInt64) -> String {
        var random = SplitMix64(seed: seed)
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<count).map { _ in letters[Int(random.next() % UInt64(letters.count))] })
    }

    static func aggregate(requests: Int64) -> WindowAggregate {
        var aggregate = WindowAggregate()
        aggregate.requests = requests
        return aggregate
    }

    @Test func refusedRowsAreSetAsideAndTheRestIsStoredWithTheOffsets() async throws {
        try await withTestClient { client, _ in
            let store = AggregateStore(client: client, logger: Logger(label: "test"))
            try await Migrator().migrate(client: client, logger: store.logger)
            var windows: [WindowKey: WindowAggregate] = [:]
            for index in 0..<200 {
                windows[WindowKey(windowStart: 1_764_072_000, windowSeconds: 60, model: "m\(index)")] =
                    Self.aggregate(requests: 1)
            }
            // A NUL (invalid in PostgreSQL text), a 3 000-character tenant and a 100 KB model
            // name (index rows too large for the btree).
            let poison = [
                WindowKey(windowStart: 1_764_072_000, windowSeconds: 60, model: "nul\u{0}model"),
                WindowKey(windowStart: 1_764_072_000, windowSeconds: 60, tenant: Self.randomText(3_000, seed: 1)),
                WindowKey(windowStart: 1_764_072_000, windowSeconds: 60, model: Self.randomText(100_000, seed: 2)),
            ]
            for key in poison { windows[key] = Self.aggregate(requests: 1_000) }
            let batch = FlushBatch(
                consumerGroup: "g", windows: windows,
                offsets: [OffsetAdvance(partition: partition, expected: nil, next: 203, records: 203, deadLetters: 0)])
            #expect(try await store.write(batch) == .committed)

            let stored = try await client.query("SELECT count(*)::int8, sum(requests)::int8 FROM dl_windows")
            for try await (rows, requests) in stored.decode((Int64, Int64).self) {
                #expect(rows == 200)
                #expect(requests == 200)
            }
            let rejected = try await client.query(
                "SELECT target_table, sqlstate FROM dl_rejected_rows WHERE consumer_group = 'g' ORDER BY sqlstate")
            var states: [String] = []
            for try await (table, state) in rejected.decode((String, String).self) {
                #expect(table == "dl_windows")
                states.append(state)
            }
            #expect(states.count == 3)
            #expect(states.contains("22021"), "the NUL: invalid byte sequence")
            #expect(states.filter { $0 == "54000" }.count == 2, "index rows too large: \(states)")
            #expect(try await store.storedOffsets(group: "g", topics: ["llm.requests"]) == [partition: 203])
        }
    }

    @Test func counterSumsSaturateInsteadOfFailing() async throws {
        try await withTestClient { client, _ in
            let store = AggregateStore(client: client, logger: Logger(label: "test"))
            try await Migrator().migrate(client: client, logger: store.logger)
            let key = WindowKey(windowStart: 1_764_072_000, windowSeconds: 60, model: "big")
            var aggregate = WindowAggregate()
            aggregate.requests = 1
            aggregate.inputTokens = Int64.max - 5
            aggregate.errorsByType["timeout"] = Int64.max - 1
            for next in [Int64(1), 2] {
                let batch = FlushBatch(
                    consumerGroup: "g", windows: [key: aggregate],
                    offsets: [
                        OffsetAdvance(
                            partition: partition, expected: next == 1 ? nil : 1, next: next, records: 1, deadLetters: 0)
                    ])
                #expect(try await store.write(batch) == .committed)
            }
            let rows = try await client.query(
                "SELECT requests, input_tokens, (errors_by_type->>'timeout')::numeric::text FROM dl_windows")
            for try await (requests, input, timeouts) in rows.decode((Int64, Int64, String).self) {
                #expect(requests == 2)
                #expect(input == Int64.max)
                #expect(timeouts == String(Int64.max))
            }
        }
    }
}
