import DriftlineKafka
import DriftlinePipeline
import DriftlineStore
import DriftlineTestSupport
import Foundation
import PostgresNIO
import Testing

/// `kafka.group_instance_id` (static group membership) against librdkafka's mock cluster.
///
/// What the mock cluster can show: librdkafka accepts the id, members that carry one join the
/// group, share the partitions and hand them over on restart, and the totals stay exact. What
/// it cannot: the mock broker's group coordinator (librdkafka 2.0) ignores the instance id, so
/// a restarted member is treated as a new one, and that a static member gets its partitions
/// back without a rebalance is a property of a real broker (KIP-345), not tested here.
@Suite("Static group membership", .serialized)
struct StaticMembershipTests {
    @Test func membersWithInstanceIDsShareThePartitionsAndARestartKeepsTheTotalsExact() async throws {
        try await withTestClient { client, database in
            let cluster = try MockKafkaCluster(brokers: 1)
            defer { cluster.close() }
            try cluster.createTopic("llm.requests", partitions: 4)
            try await Migrator().migrate(client: client, logger: TestLogging.logger())
            func member(_ name: String) -> IngestPipeline {
                var configuration = testConfiguration(
                    brokers: cluster.bootstrapServers, database: database, topic: "llm.requests", group: "static")
                configuration.kafka.groupInstanceID = name
                return IngestPipeline(
                    configuration: configuration, store: AggregateStore(client: client, logger: TestLogging.logger()),
                    logger: TestLogging.logger())
            }
            var truth = GroundTruth()
            try produceTraffic(
                brokers: cluster.bootstrapServers, topic: "llm.requests", partitions: 4, count: 2_000, seed: 11,
                truth: &truth)
            let first = member("driftline-0")
            let second = member("driftline-1")
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await first.run() }
                group.addTask { try await second.run() }
                try await waitUntil("2 000 records stored", timeout: .seconds(60), pollingEvery: .milliseconds(200)) {
                    try await storedRecordCount(client, group: "static") == 2_000
                }
                // driftline-0 stops and comes back under the same id, while records keep coming.
                first.stop()
                try await group.next()
                let restarted = member("driftline-0")
                group.addTask { try await restarted.run() }
                // The second member may take every record on its own while the group rebalances,
                // so wait until the restarted one holds partitions before producing more.
                try await waitUntil(
                    "the restarted member is assigned partitions", timeout: .seconds(90),
                    pollingEvery: .milliseconds(200)
                ) { restarted.statistics.rebalances > 0 }
                try produceTraffic(
                    brokers: cluster.bootstrapServers, topic: "llm.requests", partitions: 4, count: 2_000, seed: 12,
                    startMicroseconds: 1_764_072_600_000_000, truth: &truth)
                try await waitUntil("4 000 records stored", timeout: .seconds(60), pollingEvery: .milliseconds(200)) {
                    try await storedRecordCount(client, group: "static") == 4_000
                }
                second.stop()
                restarted.stop()
                try await group.waitForAll()
            }
            try await expectMatches(truth, client, quantiles: false)
        }
    }
}
