import DriftlineTestSupport
import Foundation
import Testing

@testable import DriftlinePipeline

/// The configuration messages of issue 10 item 9 and the settings it added, at the level of
/// `PipelineConfiguration` (the executable's view is in `MisconfigurationStartupTests`).
@Suite("Configuration messages")
struct ConfigurationMessageTests {
    static func error(_ yaml: String) -> ConfigurationError? {
        do {
            var configuration = try PipelineConfiguration.parse(yaml: yaml, file: "p.yaml")
            try configuration.applyEnvironment([:])
            try configuration.validate(file: "p.yaml")
            return nil
        } catch let error as ConfigurationError {
            return error
        } catch {
            Issue.record("not a ConfigurationError: \(error)")
            return nil
        }
    }

    @Test(arguments: [
        (
            "flush:\n  interval_seconds: soon\n",
            "p.yaml: flush.interval_seconds: expected a number of seconds, got \"soon\""
        ),
        (
            "postgres:\n  connect_timeout_seconds: [1]\n",
            "p.yaml: postgres.connect_timeout_seconds: expected an integer number of seconds, got a list"
        ),
        (
            "kafka:\n  batch_size: lots\n",
            "p.yaml: kafka.batch_size: expected an integer number of messages, got \"lots\""
        ),
        (
            "postgres:\n  connect_timeout_seconds: 0\n",
            "p.yaml: postgres.connect_timeout_seconds: expected 1…3600 seconds, got 0"
        ),
        ("- a\n- b\n", "p.yaml: expected a mapping of sections (kafka:, postgres:, aggregation:, …), got a list"),
        (
            "kafka:\n  group_instance_id: 'my pod'\n",
            "p.yaml: kafka.group_instance_id: expected 1 to 249 characters of a-z, A-Z, 0-9, '.', '_' and '-', got \"my pod\""
        ),
        (
            "kafka:\n  properties: {group.instance.id: x}\n",
            "p.yaml: kafka.properties.group.instance.id: is set by Driftline itself; use the typed setting instead (kafka.group_instance_id)"
        ),
    ])
    func aBadValueSaysWhatWasExpectedAndWhatWasFound(yaml: String, message: String) {
        #expect(Self.error(yaml)?.description == message)
    }

    @Test func emptyAndCommentOnlyAreTheSame() {
        let empty = Self.error("")
        let comment = Self.error("# nothing here\n")
        #expect(empty != nil)
        #expect(empty?.description == comment?.description)
        #expect(empty?.description.contains("holds no settings") == true)
    }

    @Test func aBadTimeoutFromTheEnvironmentNamesTheVariable() throws {
        var configuration = PipelineConfiguration()
        #expect(throws: ConfigurationError.self) {
            try configuration.applyEnvironment(["DATABASE_CONNECT_TIMEOUT": "ten"])
        }
        try configuration.applyEnvironment(["DATABASE_CONNECT_TIMEOUT": "3"])
        #expect(configuration.postgres.connectTimeout == .seconds(3))
        #expect(configuration.environmentOverrides["postgres.connect_timeout_seconds"] == "DATABASE_CONNECT_TIMEOUT")
    }

    @Test func theDefaultsOfTheNewSettings() throws {
        let configuration = PipelineConfiguration()
        #expect(configuration.postgres.connectTimeoutSeconds == 10)
        #expect(configuration.postgres.startupRetrySeconds == 60)
        #expect(configuration.kafka.groupInstanceID == nil)
        #expect(try configuration.resolvedKafkaProperties(environment: [:])["group.instance.id"] == nil)
    }

    /// Static membership: `group.instance.id` comes from the file, `env:NAME`, or
    /// `KAFKA_GROUP_INSTANCE_ID`, and reaches librdkafka's properties.
    @Test func groupInstanceIDFromTheFileOrTheEnvironment() throws {
        var configuration = try PipelineConfiguration.parse(yaml: "kafka:\n  group_instance_id: env:HOSTNAME\n")
        try configuration.applyEnvironment([:])
        try configuration.validate()
        #expect(
            try configuration.resolvedKafkaProperties(environment: ["HOSTNAME": "c0ffee12"])["group.instance.id"]
                == "c0ffee12")
        #expect(throws: ConfigurationError.self) { try configuration.resolvedKafkaProperties(environment: [:]) }
        try configuration.applyEnvironment(["KAFKA_GROUP_INSTANCE_ID": "driftline-0"])
        #expect(try configuration.resolvedKafkaProperties(environment: [:])["group.instance.id"] == "driftline-0")
        // librdkafka accepts it for a consumer (checked without connecting).
        try configuration.checkWithoutDatabase(environment: [:])
    }

    /// The shipped compose configuration uses the container's HOSTNAME as its instance id.
    @Test func composeUsesStaticMembership() throws {
        let path = repositoryRoot.appendingPathComponent("pipelines/compose.yaml").path
        let configuration = try PipelineConfiguration.load(file: path, environment: [:])
        #expect(configuration.kafka.groupInstanceID == "env:HOSTNAME")
    }
}
