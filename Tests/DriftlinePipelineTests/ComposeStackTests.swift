import DriftlineTestSupport
import Foundation
import Testing
import Yams

@testable import DriftlinePipeline
@testable import driftline

/// compose.yaml as the stack people run, checked without a Docker engine: pinned images,
/// healthchecks everywhere and dependencies on them, the demo profile, `.env.example`, the
/// variables driftline reads, and the OpenTelemetry Collector's Kafka exporter.
@Suite("Compose stack")
struct ComposeStackTests {
    static let demoServices: Set = ["generator", "generator-otlp", "webhook-sink"]

    // MARK: Images

    @Test func everyImageIsPinnedToAVersion() throws {
        let compose = try ComposeFile.load()
        for (name, service) in compose.services {
            let image = try #require(service["image"] as? String, "\(name) names no image")
            if service["build"] != nil {
                #expect(image.hasSuffix(":local"), "\(name) is built here; its image is tagged :local, got \(image)")
                continue
            }
            #expect(Self.isPinned(image), "\(name): \(image) is not pinned to a version")
        }
        // What the built images start from is pinned too.
        for dockerfile in ["Dockerfile", "deploy/otel-collector.Dockerfile"] {
            let bases = try Self.baseImages(dockerfile)
            #expect(!bases.isEmpty)
            for base in bases {
                #expect(
                    base.contains(":") && !base.hasSuffix(":latest"), "\(dockerfile): FROM \(base) has no fixed tag")
            }
        }
        let collector = try Self.baseImages("deploy/otel-collector.Dockerfile")
        #expect(collector.allSatisfy(Self.isPinned), "\(collector)")
    }

    @Test func thePinCheckRefusesWhatIsNotAVersion() {
        for image in ["postgres:16", "apache/kafka:3.9.0", "otel/opentelemetry-collector-contrib:0.128.0"] {
            #expect(Self.isPinned(image), "\(image)")
        }
        for image in ["postgres", "postgres:latest", "grafana/grafana:main", "kafka:edge", "x:v"] {
            #expect(!Self.isPinned(image), "\(image)")
        }
    }

    // MARK: Health

    @Test func everyServiceHasAHealthcheckThatRunsACommand() throws {
        let compose = try ComposeFile.load()
        for (name, service) in compose.services {
            let healthcheck = try #require(service["healthcheck"] as? [String: Any], "\(name) has no healthcheck")
            #expect(healthcheck["disable"] as? Bool != true, "\(name) disables its healthcheck")
            let test = try #require(healthcheck["test"] as? [Any], "\(name): healthcheck.test is not a list")
            let kind = test.first as? String
            #expect(kind == "CMD" || kind == "CMD-SHELL", "\(name): \(test)")
            #expect(test.count >= 2, "\(name): \(test)")
            for key in ["interval", "timeout", "retries"] {
                #expect(healthcheck[key] != nil, "\(name): healthcheck.\(key) is not set")
            }
        }
    }

    /// driftline's healthcheck is `driftline health` against the /readyz of the address its
    /// configuration listens on, with a deadline below the healthcheck's own timeout.
    @Test func driftlinesHealthcheckAsksItsOwnReadyz() throws {
        let compose = try ComposeFile.load()
        let test = try Self.healthcheckTest("driftline", compose)
        #expect(Array(test.prefix(3)) == ["CMD", "/usr/local/bin/driftline", "health"])
        let command = try #require(try Driftline.parseAsRoot(Array(test.dropFirst(2))) as? HealthCommand)
        let url = try #require(URL(string: command.url))
        let configuration = try PipelineConfiguration.load(
            file: repositoryRoot.appendingPathComponent("pipelines/compose.yaml").path,
            environment: compose.environment(of: "driftline"))
        let metrics = try #require(configuration.metrics, "pipelines/compose.yaml serves no metrics")
        #expect(url.host == "127.0.0.1" && url.path == "/readyz")
        #expect(url.port == metrics.port)
        #expect(metrics.host == "0.0.0.0" || metrics.host == "127.0.0.1", "the check reaches it on loopback")
        let exposed = (compose.services["driftline"]?["expose"] as? [Any] ?? []).map { "\($0)" }
        #expect(exposed.contains(String(metrics.port)))
        let healthcheck = compose.services["driftline"]?["healthcheck"] as? [String: Any] ?? [:]
        let timeout = try #require(Self.seconds(healthcheck["timeout"]))
        #expect(command.timeout < timeout, "driftline health gives up before compose kills it")

        // The webhook sink answers its own /healthz, asked the same way.
        let sink = try Self.healthcheckTest("webhook-sink", compose)
        let sinkCheck = try #require(try Driftline.parseAsRoot(Array(sink.dropFirst(2))) as? HealthCommand)
        let sinkURL = try #require(URL(string: sinkCheck.url))
        #expect(sinkURL.path == "/healthz")
        #expect(
            sinkURL.port.map(String.init) == DeploymentTests.option("--port", in: compose.command(of: "webhook-sink")))
    }

    @Test func theDemoProfileHoldsTheGeneratorsAndTheSinkAndNothingElseNeedsThem() throws {
        let compose = try ComposeFile.load()
        for (name, service) in compose.services {
            let profiles = (service["profiles"] as? [Any] ?? []).map { "\($0)" }
            #expect(profiles == (Self.demoServices.contains(name) ? ["demo"] : []), "\(name): profiles \(profiles)")
        }
        for (name, service) in compose.services where !Self.demoServices.contains(name) {
            for (dependency, value) in service["depends_on"] as? [String: Any] ?? [:]
            where Self.demoServices.contains(dependency) {
                #expect(
                    (value as? [String: Any])?["required"] as? Bool == false,
                    "\(name) needs \(dependency), which only the demo profile starts: mark it required: false")
            }
        }
    }

    // MARK: Variables

    /// `.env.example` lists every variable compose.yaml reads, with the default compose uses,
    /// so that copying it changes nothing until edited; and it holds no secret.
    @Test func envExampleListsEveryVariableComposeReadsWithItsDefault() throws {
        let text = try DeploymentTests.text("compose.yaml")
        var defaults: [String: String] = [:]
        for match in text.matches(of: #/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/#) {
            defaults[String(match.1)] = match.2.map(String.init) ?? ""
        }
        #expect(defaults.count >= 7)
        let example = try Self.envFile(".env.example")
        #expect(
            Set(example.keys) == Set(defaults.keys),
            "only in compose: \(Set(defaults.keys).subtracting(example.keys)); only in .env.example: \(Set(example.keys).subtracting(defaults.keys))"
        )
        for (name, value) in example {
            #expect(
                defaults[name] == value,
                "\(name): .env.example has \(value), compose's default is \(defaults[name] ?? "none")")
            #expect(!name.contains("PASSWORD") && !name.contains("SECRET") && !name.contains("TOKEN"), "\(name)")
        }
        #expect(DeploymentTests.literalPasswords(in: example) == [])
        let ignored = try DeploymentTests.text(".gitignore").split(separator: "\n")
        #expect(ignored.contains(".env"), "a filled-in .env stays out of git")
    }

    /// The variables compose gives driftline are ones it reads (`PipelineConfiguration.environmentVariables`),
    /// and the `env:NAME` references of its configuration are set in the container.
    @Test func driftlineReadsTheVariablesComposeGivesIt() throws {
        let compose = try ComposeFile.load()
        let read = Set(PipelineConfiguration.environmentVariables.map(\.variable))
        let given = compose.environment(of: "driftline")
        #expect(!given.isEmpty)
        for name in given.keys { #expect(read.contains(name), "compose sets \(name), which driftline does not read") }
        let pipeline = try DeploymentTests.text("pipelines/compose.yaml")
        // Docker sets HOSTNAME in every container (to the container id).
        let inContainer = Set(given.keys).union(["HOSTNAME"])
        for line in pipeline.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
            for match in line.matches(of: #/env:([A-Za-z_][A-Za-z0-9_]*)/#) {
                #expect(
                    inContainer.contains(String(match.1)),
                    "pipelines/compose.yaml reads env:\(match.1), unset in compose")
            }
        }
    }

    // MARK: The OpenTelemetry Collector

    /// Keys of the Kafka exporter as its README documents them for v0.124.0 and later (the
    /// per-signal `traces::topic` / `traces::encoding`; the top-level `topic` and `encoding`
    /// are deprecated from v0.124.0 and removed later, so they must not be used).
    static let kafkaExporterKeys: Set = [
        "brokers", "protocol_version", "resolve_canonical_bootstrap_servers_only", "client_id", "logs", "metrics",
        "traces", "topic_from_attribute", "include_metadata_keys", "partition_traces_by_id",
        "partition_metrics_by_resource_attributes", "partition_logs_by_resource_attributes", "tls", "auth",
        "metadata", "timeout", "retry_on_failure", "sending_queue", "producer",
    ]
    static let kafkaSignalKeys: Set = ["topic", "encoding"]
    static let kafkaProducerKeys: Set = [
        "max_message_bytes", "required_acks", "compression", "compression_params", "flush_max_messages",
    ]

    @Test func theCollectorExportsOTLPProtoToTheTopicDriftlineReads() throws {
        let compose = try ComposeFile.load()
        let collector = try #require(compose.services["otel-collector"])
        // The config file compose mounts is the one the collector's command names.
        let mount = try #require(compose.mounts(of: "otel-collector").first { $0.isBind })
        #expect(mount.source == "./deploy/otel-collector.yaml")
        #expect(compose.command(of: "otel-collector") == ["--config=\(mount.target)"])
        let config = try DeploymentTests.yaml("deploy/otel-collector.yaml")

        let version = try #require(
            try Self.baseImages("deploy/otel-collector.Dockerfile").first {
                $0.hasPrefix("otel/opentelemetry-collector-contrib:")
            }?.split(separator: ":").last.map(String.init))
        #expect(Self.compare(version, "0.124.0") >= 0, "the traces:: keys need v0.124.0 or later, pinned \(version)")

        let exporters = try #require(config["exporters"] as? [String: Any])
        let kafka = try #require(exporters["kafka"] as? [String: Any])
        let unknown = Set(kafka.keys).subtracting(Self.kafkaExporterKeys)
        #expect(unknown.isEmpty, "not documented for the kafka exporter: \(unknown.sorted())")
        #expect(kafka["topic"] == nil && kafka["encoding"] == nil, "deprecated top-level keys")
        let traces = try #require(kafka["traces"] as? [String: Any])
        #expect(Set(traces.keys).isSubset(of: Self.kafkaSignalKeys))
        #expect(traces["topic"] as? String == "otlp_spans")
        #expect(traces["encoding"] as? String == "otlp_proto")
        let producer = kafka["producer"] as? [String: Any] ?? [:]
        #expect(Set(producer.keys).isSubset(of: Self.kafkaProducerKeys))

        // The brokers and the topic are the ones driftline reads, in the format it expects there.
        let driftline = try PipelineConfiguration.load(
            file: repositoryRoot.appendingPathComponent("pipelines/compose.yaml").path,
            environment: compose.environment(of: "driftline"))
        #expect((kafka["brokers"] as? [Any])?.map { "\($0)" } == [driftline.kafka.brokers])
        #expect(driftline.kafka.topics.first { $0.name == "otlp_spans" }?.format == .otlpProto)
        #expect(compose.topicCommands().contains { DeploymentTests.option("--topic", in: $0) == "otlp_spans" })
        if let maximum = producer["max_message_bytes"] as? Int {
            #expect(maximum <= driftline.decoder.maxRecordBytes, "records the decoder would dead-letter for size")
        }

        // OTLP in over gRPC and HTTP, published on loopback; traces go from the receiver to Kafka.
        let otlp = try #require((config["receivers"] as? [String: Any])?["otlp"] as? [String: Any])
        let protocols = try #require(otlp["protocols"] as? [String: Any])
        let grpc = (protocols["grpc"] as? [String: Any])?["endpoint"] as? String
        let http = (protocols["http"] as? [String: Any])?["endpoint"] as? String
        #expect(grpc == "0.0.0.0:4317" && http == "0.0.0.0:4318")
        let ports = (collector["ports"] as? [Any] ?? []).map { ComposeFile.interpolate("\($0)") }
        #expect(Set(ports) == ["127.0.0.1:4317:4317", "127.0.0.1:4318:4318"])
        let service = try #require(config["service"] as? [String: Any])
        let pipeline = try #require((service["pipelines"] as? [String: Any])?["traces"] as? [String: Any])
        #expect((pipeline["receivers"] as? [String]) == ["otlp"])
        #expect((pipeline["exporters"] as? [String]) == ["kafka"])
        for processor in pipeline["processors"] as? [String] ?? [] {
            #expect((config["processors"] as? [String: Any])?[processor] != nil, "undefined processor \(processor)")
        }

        // Its healthcheck asks the health_check extension, which the service enables.
        #expect((service["extensions"] as? [String])?.contains("health_check") == true)
        let endpoint = try #require(
            ((config["extensions"] as? [String: Any])?["health_check"] as? [String: Any])?["endpoint"] as? String)
        let test = try Self.healthcheckTest("otel-collector", compose)
        let port = try #require(endpoint.split(separator: ":").last)
        #expect(test.last == "http://127.0.0.1:\(port)/", "\(test)")
        #expect(test.contains("/bin/busybox"))
        #expect(
            try DeploymentTests.text("deploy/otel-collector.Dockerfile").contains(
                "COPY --from=busybox /bin/busybox /bin/busybox"))
    }

    // MARK: Helpers

    /// A tag that starts with a version number (`16`, `3.9.0`, `0.128.0-alpine`), not a moving
    /// name such as `latest`, `main` or `edge`.
    static func isPinned(_ image: String) -> Bool {
        guard let colon = image.lastIndex(of: ":"), !image[colon...].contains("/") else { return false }
        let tag = image[image.index(after: colon)...]
        return tag.wholeMatch(of: #/v?[0-9]+(\.[0-9]+)*([-.][A-Za-z0-9.-]+)?/#) != nil
    }

    static func baseImages(_ dockerfile: String) throws -> [String] {
        try DeploymentTests.text(dockerfile).split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            return words.first == "FROM" && words.count >= 2 ? String(words[1]) : nil
        }
    }

    static func healthcheckTest(_ service: String, _ compose: ComposeFile) throws -> [String] {
        let healthcheck = try #require(compose.services[service]?["healthcheck"] as? [String: Any])
        return (healthcheck["test"] as? [Any] ?? []).map { "\($0)" }
    }

    static func seconds(_ value: Any?) -> Double? {
        guard let text = value.map({ "\($0)" }), text.hasSuffix("s") else { return nil }
        return Double(text.dropLast())
    }

    /// `NAME=value` lines; comments and blank lines skipped.
    static func envFile(_ path: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for line in try DeploymentTests.text(path).split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            result[String(trimmed[..<equals])] = String(trimmed[trimmed.index(after: equals)...])
        }
        return result
    }

    static func compare(_ a: String, _ b: String) -> Int {
        let left = a.split(separator: ".").map { Int($0) ?? 0 }
        let right = b.split(separator: ".").map { Int($0) ?? 0 }
        for index in 0..<max(left.count, right.count) {
            let (x, y) = (index < left.count ? left[index] : 0, index < right.count ? right[index] : 0)
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }
}
