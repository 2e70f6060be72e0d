import DriftlineTestSupport
import Foundation
import Testing
import Yams

@testable import DriftlinePipeline

@Suite("Configuration")
struct ConfigurationTests {

    @Test func theShippedDefaultConfigurationLoadsAndValidates() throws {
        let path = repositoryRoot.appendingPathComponent("pipelines/default.yaml").path
        let configuration = try PipelineConfiguration.load(file: path, environment: [:])
        #expect(configuration.kafka.topics.map(\.name) == ["llm.requests"])
        #expect(configuration.aggregation.windowSeconds == 60)
        #expect(configuration.aggregation.dimensions == [.model, .provider, .app, .tenant, .environment])
    }

    @Test func environmentOverridesTheFile() throws {
        var configuration = try PipelineConfiguration.parse(yaml: "kafka:\n  brokers: a:1\n")
        try configuration.applyEnvironment([
            "DATABASE_URL": "postgres://u@h:1/d", "KAFKA_BROKERS": "b:2", "KAFKA_GROUP_ID": "g2",
        ])
        #expect(configuration.kafka.brokers == "b:2")
        #expect(configuration.kafka.groupID == "g2")
        #expect(configuration.postgres.url == "postgres://u@h:1/d")
    }

    @Test(arguments: [
        ("aggregation:\n  window_seconds: 7\n", "aggregation.window_seconds", "divides a day"),
        ("aggregation:\n  window_second: 60\n", "aggregation.window_second", "unknown setting"),
        ("aggregation:\n  window_seconds: sixty\n", "aggregation.window_seconds", "expected an integer"),
        ("aggregation:\n  dimensions: [model, colour]\n", "aggregation.dimensions[1]", "colour"),
        ("kafka:\n  topics: [{name: a, format: avro}]\n", "kafka.topics[0].format", "avro"),
        ("kafka:\n  topics: [{format: native_json}]\n", "kafka.topics[0].name", "is required"),
        (
            "kafka:\n  properties: {enable.auto.commit: 'true'}\n", "kafka.properties.enable.auto.commit",
            "set by Driftline"
        ),
        ("postgres:\n  url: mysql://x\n", "postgres.url", "expected postgres://"),
        ("flush:\n  interval_seconds: 0\n", "flush.interval_seconds", "(0, 3600]"),
    ])
    func aBadFileNamesTheKeyAndWhatWasExpected(yaml: String, key: String, fragment: String) throws {
        do {
            var configuration = try PipelineConfiguration.parse(yaml: yaml, file: "bad.yaml")
            try configuration.applyEnvironment([:])
            try configuration.validate(file: "bad.yaml")
            Issue.record("expected an error for \(yaml)")
        } catch let error as ConfigurationError {
            #expect(error.key == key, "\(error)")
            #expect(error.description.contains(fragment), "\(error)")
            #expect(error.description.hasPrefix("bad.yaml: "), "\(error)")
        }
    }

    @Test func secretsComeFromTheEnvironmentOrFiles() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID())")
        try "from-file\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        var configuration = PipelineConfiguration()
        configuration.kafka.properties = [
            "sasl.password": "env:TEST_KAFKA_PASSWORD", "ssl.key.password": "file:\(file.path)", "acks": "all",
        ]
        let resolved = try configuration.resolvedKafkaProperties(environment: ["TEST_KAFKA_PASSWORD": "from-env"])
        #expect(resolved == ["sasl.password": "from-env", "ssl.key.password": "from-file", "acks": "all"])
        #expect(throws: ConfigurationError.self) { try configuration.resolvedKafkaProperties(environment: [:]) }
    }
}
