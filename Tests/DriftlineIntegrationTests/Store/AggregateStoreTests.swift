import DriftlineStats
import DriftlineTestSupport
import Logging
import PostgresNIO
import Testing

@testable import DriftlineStore

@Suite("Aggregate store")
struct AggregateStoreTests {
    let partition = SourcePartition(topic: "llm.requests", partition: 3)

    func aggregate(requests: Int64, latencies: [Double], errorType: String? = nil) -> WindowAggregate {
        var aggregate = WindowAggregate()
        aggregate.requests = requests
        aggregate.inputTokens = requests * 10
        if let errorType {
            aggregate.errors = 1
            aggregate.errorsByType[errorType] = 1
        }
        for latency in latencies { aggregate.latencyMilliseconds.record(latency) }
        return aggregate
    }

    /// Two flushes into the same window add their counters and merge their histograms.
    @Test func flushesMergeIntoTheSameWindow() async throws {
        try await withTestClient { client, _ in
            let store = AggregateStore(client: client, logger: TestLogging.logger("test"))
            try await Migrator().migrate(client: client, logger: store.logger)
            let key = WindowKey(
                windowStart: 1_764_072_000, windowSeconds: 60, model: "gpt-4o", labelsJSON: #"{"a":"b"}"#)
            let first = FlushBatch(
                consumerGroup: "g", windows: [key: aggregate(requests: 2, latencies: [10, 20], errorType: "timeout")],
                offsets: [OffsetAdvance(partition: partition, expected: nil, next: 2, records: 2, deadLetters: 0)])
            #expect(try await store.write(first) == .committed)
            let second = FlushBatch(
                consumerGroup: "g",
                windows: [key: aggregate(requests: 3, latencies: [30, 40, 50], errorType: "timeout")],
                offsets: [OffsetAdvance(partition: partition, expected: 2, next: 5, records: 3, deadLetters: 0)])
            #expect(try await store.write(second) == .committed)

            let rows = try await client.query(
                """
                SELECT requests, errors, errors_by_type::text, input_tokens, dl_hist_count(latency_ms),
                       dl_hist_quantile(latency_ms, 1.0), labels::text
                FROM dl_windows
                """)
            var count = 0
            for try await (requests, errors, byType, input, histogramCount, maximum, labels) in rows.decode(
                (Int64, Int64, String, Int64, Int64, Double, String).self)
            {
                count += 1
                #expect(requests == 5)
                #expect(errors == 2)
                #expect(byType == #"{"timeout": 2}"#)
                #expect(input == 50)
                #expect(histogramCount == 5)
                #expect(maximum == 50)
                #expect(labels == #"{"a": "b"}"#)
            }
            #expect(count == 1)
            #expect(try await store.storedOffsets(group: "g", topics: ["llm.requests"]) == [partition: 5])
        }
    }

    /// A writer whose expected offset is stale (another member moved the partition on) is
    /// refused and writes nothing at all.
    @Test func aStaleWriterIsFencedAndWritesNothing() async throws {
        try await withTestClient { client, _ in
            let store = AggregateStore(client: client, logger: TestLogging.logger("test"))
            try await Migrator().migrate(client: client, logger: store.logger)
            let key = WindowKey(windowStart: 1_764_072_000, windowSeconds: 60, model: "m")
            let other = SourcePartition(topic: "llm.requests", partition: 4)
            let committed = FlushBatch(
                consumerGroup: "g", windows: [key: aggregate(requests: 1, latencies: [1])],
                offsets: [OffsetAdvance(partition: partition, expected: nil, next: 10, records: 10, deadLetters: 0)])
            #expect(try await store.write(committed) == .committed)

            // A second "first" writer for the same partition, and a writer that lags behind.
            let duplicateStart = FlushBatch(
                consumerGroup: "g", windows: [key: aggregate(requests: 7, latencies: [1])],
                offsets: [
                    OffsetAdvance(partition: partition, expected: nil, next: 10, records: 10, deadLetters: 0),
                    OffsetAdvance(partition: other, expected: nil, next: 1, records: 1, deadLetters: 0),
                ])
            #expect(try await store.write(duplicateStart) == .fenced([partition]))
            let stale = FlushBatch(
                consumerGroup: "g", windows: [key: aggregate(requests: 7, latencies: [1])],
                deadLetters: [
                    DeadLetter(
                        partition: partition, offset: 9, key: nil, timestampMilliseconds: nil, errorCode: "x",
                        reason: "y", payload: [1], payloadSize: 1)
                ],
                offsets: [OffsetAdvance(partition: partition, expected: 4, next: 12, records: 2, deadLetters: 1)])
            #expect(try await store.write(stale) == .fenced([partition]))

            let rows = try await client.query("SELECT sum(requests)::int8 FROM dl_windows")
            for try await total in rows.decode(Int64.self) { #expect(total == 1) }
            let dead = try await client.query("SELECT count(*)::int8 FROM dl_dead_letters")
            for try await total in dead.decode(Int64.self) { #expect(total == 0) }
            #expect(try await store.storedOffsets(group: "g", topics: ["llm.requests"]) == [partition: 10])
        }
    }

    @Test func deadLettersKeepBytesKeyAndTimestamp() async throws {
        try await withTestClient { client, _ in
            let store = AggregateStore(client: client, logger: TestLogging.logger("test"))
            try await Migrator().migrate(client: client, logger: store.logger)
            let letter = DeadLetter(
                partition: partition, offset: 41, key: [0x00, 0xFF, 0x41], timestampMilliseconds: 1_764_072_000_123,
                errorCode: "invalidUTF8", reason: "invalid UTF-8 at byte 3 \0 (nul)", payload: [0xC3, 0x28, 0x00],
                payloadSize: 5000)
            let batch = FlushBatch(
                consumerGroup: "g", deadLetters: [letter],
                offsets: [OffsetAdvance(partition: partition, expected: nil, next: 42, records: 1, deadLetters: 1)])
            #expect(try await store.write(batch) == .committed)
            let rows = try await client.query(
                """
                SELECT encode(record_key, 'hex'), (extract(epoch FROM record_timestamp) * 1000)::int8, error_code,
                       encode(payload, 'hex'), payload_size, "offset"
                FROM dl_dead_letters
                """)
            for try await (key, timestamp, code, payload, size, offset) in rows.decode(
                (String, Int64, String, String, Int32, Int64).self)
            {
                #expect(key == "00ff41")
                #expect(timestamp == 1_764_072_000_123)
                #expect(code == "invalidUTF8")
                #expect(payload == "c32800")
                #expect(size == 5000)
                #expect(offset == 41)
            }
        }
    }

    @Test func databaseURLParsing() throws {
        let url = try DatabaseURL(parsing: "postgres://alice:s%40cret@db.internal:6543/metrics?sslmode=require")
        #expect(url.host == "db.internal")
        #expect(url.port == 6543)
        #expect(url.username == "alice")
        #expect(url.password == "s@cret")
        #expect(url.database == "metrics")
        #expect(url.sslMode == "require")
        #expect(!url.description.contains("s@cret"))
        #expect(throws: StoreError.self) { try DatabaseURL(parsing: "mysql://x@y/z") }
        #expect(throws: StoreError.self) { try DatabaseURL(parsing: "postgres://x@y/z?sslmode=sometimes") }
    }
}
