import DriftlineCore
import DriftlineStats
import DriftlineTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing
import Yams

@testable import DriftlinePipeline
@testable import DriftlineStore

/// The `docker compose up` way in and the Grafana dashboards, checked without a Docker engine:
/// the wiring of compose.yaml, the image recipe, and every dashboard query run against a real,
/// migrated PostgreSQL.
@Suite("Deployment")
struct DeploymentTests {

    // MARK: compose.yaml

    @Test func composeDefinesTheStack() throws {
        let compose = try ComposeFile.load()
        for name in [
            "kafka", "kafka-init", "postgres", "driftline", "generator", "generator-otlp", "webhook-sink",
            "otel-collector", "grafana",
        ] {
            #expect(compose.services[name] != nil, "compose.yaml has no service \(name)")
        }
        #expect(compose.document["version"] == nil, "the Compose Specification has no `version:` key")
    }

    @Test func everyPublishedPortIsBoundToLoopback() throws {
        let compose = try ComposeFile.load()
        var published = 0
        for (name, service) in compose.services {
            for port in service["ports"] as? [Any] ?? [] {
                published += 1
                if let long = port as? [String: Any] {
                    #expect(
                        long["host_ip"] as? String == "127.0.0.1", "\(name): port \(long) is not bound to 127.0.0.1")
                } else {
                    let text = "\(port)"
                    #expect(text.hasPrefix("127.0.0.1:"), "\(name): port '\(text)' is not bound to 127.0.0.1")
                }
            }
        }
        #expect(published >= 3, "Kafka, Postgres and Grafana are published for the host")
    }

    @Test func noPasswordIsWrittenInTheComposeFile() throws {
        let compose = try ComposeFile.load()
        #expect(Self.literalPasswords(in: compose.document) == [])
    }

    /// The check above must catch what it is meant to catch.
    @Test func theLiteralPasswordCheckFindsLiterals() {
        let services: [String: Any] = [
            "a": ["environment": ["POSTGRES_PASSWORD": "hunter2", "PASSWORD_FILE": "/run/secrets/p"]],
            "b": ["environment": ["DB_PASSWORD=letmein", "OTHER_PASSWORD=${OTHER_PASSWORD:?set it}"]],
            "c": ["environment": ["DATABASE_URL": "postgres://u:secret@db/x", "OK_URL": "postgres://u:${P}@db/x"]],
            "d": ["environment": ["X_PASSWORD": "${X_PASSWORD:-fallback}", "Y_PASSWORD": "${Y_PASSWORD}"]],
        ]
        let document: [String: Any] = ["services": services]
        #expect(
            Set(Self.literalPasswords(in: document)) == [
                "services.a.environment.POSTGRES_PASSWORD", "services.b.environment[0]",
                "services.c.environment.DATABASE_URL", "services.d.environment.X_PASSWORD",
            ])
    }

    @Test func everyBindMountAndBuildContextExists() throws {
        let compose = try ComposeFile.load()
        let declaredVolumes = Set((compose.document["volumes"] as? [String: Any] ?? [:]).keys)
        for (name, service) in compose.services {
            for mount in compose.mounts(of: name) {
                if mount.isBind {
                    let url = repositoryRoot.appendingPathComponent(mount.source)
                    #expect(
                        FileManager.default.fileExists(atPath: url.path),
                        "\(name) mounts \(mount.source), which is not in the repository")
                } else {
                    #expect(
                        declaredVolumes.contains(mount.source), "\(name) uses the undeclared volume \(mount.source)")
                }
            }
            if let build = service["build"] {
                let long = build as? [String: Any]
                let context = build as? String ?? long?["context"] as? String ?? "."
                let file = long?["dockerfile"] as? String ?? "Dockerfile"
                let dockerfile = repositoryRoot.appendingPathComponent(context).appendingPathComponent(file)
                #expect(
                    FileManager.default.fileExists(atPath: dockerfile.path),
                    "\(name) builds from \(context) without \(file)")
            }
        }
    }

    @Test func dependenciesNameDefinedServicesWithUsableConditions() throws {
        let compose = try ComposeFile.load()
        var conditions = 0
        for (name, service) in compose.services {
            guard let dependsOn = service["depends_on"] else { continue }
            guard let map = dependsOn as? [String: Any] else {
                Issue.record("\(name): depends_on should use the long form with a condition")
                continue
            }
            for (dependency, value) in map {
                guard let target = compose.services[dependency] else {
                    Issue.record("\(name) depends on \(dependency), which is not a service")
                    continue
                }
                let condition = (value as? [String: Any])?["condition"] as? String
                conditions += 1
                // Started is not ready, and a one-shot job has no health: every dependency is
                // waited for until its healthcheck passes.
                #expect(condition == "service_healthy", "\(name) → \(dependency): \(condition ?? "no condition")")
                #expect(
                    target["healthcheck"] != nil,
                    "\(name) waits for \(dependency) to be healthy, which has no healthcheck")
            }
        }
        #expect(conditions >= 5)
    }

    @Test func theTopicsAreCreatedWithEightPartitionsAndAutoCreationIsOff() throws {
        let compose = try ComposeFile.load()
        let commands = compose.topicCommands()
        #expect(commands.compactMap { Self.option("--topic", in: $0) } == ["llm.requests", "otlp_spans"])
        for command in commands {
            #expect(command.first?.hasSuffix("kafka-topics.sh") == true)
            #expect(command.contains("--create") && command.contains("--if-not-exists"))
            #expect(Self.option("--partitions", in: command) == "8")
            #expect(Self.option("--bootstrap-server", in: command) == "kafka:9092")
        }
        // Healthy means the topics were created: the marker is written after both commands.
        let script = compose.command(of: "kafka-init").last ?? ""
        #expect(script.hasPrefix("set -e\n"), "a failed creation must not mark the topics as created")
        let healthcheck = compose.services["kafka-init"]?["healthcheck"] as? [String: Any]
        let healthTest = (healthcheck?["test"] as? [Any] ?? []).map { "\($0)" }.joined(separator: " ")
        #expect(healthTest.contains("/tmp/topics-created"))
        #expect(script.range(of: "touch /tmp/topics-created")!.lowerBound > script.range(of: "otlp_spans")!.lowerBound)
        let kafka = compose.environment(of: "kafka")
        #expect(kafka["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false")
        #expect(kafka["KAFKA_ADVERTISED_LISTENERS"]?.contains("PLAINTEXT://kafka:9092") == true)
    }

    /// driftline runs with a config file from the repository that loads and validates with the
    /// environment compose gives it, reads the topic kafka-init creates and the generator writes.
    @Test func driftlineRunsWithAConfigurationThatLoads() throws {
        let compose = try ComposeFile.load()
        let command = compose.command(of: "driftline")
        #expect(command.first == "run")
        let containerPath = try #require(Self.option("--config", in: command), "driftline's command has no --config")
        let mount = try #require(
            compose.mounts(of: "driftline").first { $0.target == containerPath && $0.isBind },
            "\(containerPath) is not mounted from the repository")
        let file = repositoryRoot.appendingPathComponent(mount.source).path
        let environment = compose.environment(of: "driftline")
        let configuration = try PipelineConfiguration.load(file: file, environment: environment)
        #expect(configuration.kafka.brokers == "kafka:9092")
        let url = try configuration.databaseURL()
        #expect(url.host == "postgres" && url.database == "driftline" && url.username == "driftline")
        // The defaults in the file and in compose agree, so overriding one alone is not needed.
        let fileOnly = try PipelineConfiguration.load(file: file, environment: [:])
        #expect(fileOnly.kafka.brokers == configuration.kafka.brokers)
        #expect(try fileOnly.databaseURL() == url)

        // Each topic driftline reads is created by an init service and written by a generator
        // in the format the configuration expects on it.
        let created = compose.topicCommands().compactMap { Self.option("--topic", in: $0) }
        #expect(configuration.kafka.topics.map(\.name) == created)
        for (service, topic) in [("generator", "llm.requests"), ("generator-otlp", "otlp_spans")] {
            let generator = compose.command(of: service)
            #expect(generator.first == "generate")
            #expect(Self.option("--topic", in: generator) == topic)
            let format = Self.option("--format", in: generator) ?? "native_json"
            #expect(configuration.kafka.topics.first { $0.name == topic }?.format.rawValue == format)
            #expect(Self.option("--brokers", in: generator) == "kafka:9092")
            #expect(Self.option("--count", in: generator) == "0")
        }

        // Costs are on, with a catalogue the image carries (the Dockerfile copies pipelines/ to
        // /opt/driftline/pipelines) that loads.
        let catalogue = try #require(configuration.costs.catalogue)
        #expect(catalogue.hasPrefix("/opt/driftline/pipelines/"))
        let inRepository = repositoryRoot.appendingPathComponent(String(catalogue.dropFirst("/opt/driftline/".count)))
            .path
        #expect(try PriceCatalogue.load(file: inRepository).histories.count > 100)
        let dockerfile = try String(contentsOf: repositoryRoot.appendingPathComponent("Dockerfile"), encoding: .utf8)
        #expect(dockerfile.contains("WORKDIR /opt/driftline") && dockerfile.contains("COPY pipelines/ ./pipelines/"))
    }

    @Test func alertsFromTheImagesRulesPageTheComposeWebhookSink() throws {
        let compose = try ComposeFile.load()
        let file = repositoryRoot.appendingPathComponent("pipelines/compose.yaml").path
        let configuration = try PipelineConfiguration.load(file: file, environment: [:])
        let alerts = try #require(configuration.alerts)
        // The rules are the repository's alerts/, copied into the image next to pipelines/.
        #expect(alerts.rules == "/opt/driftline/alerts")
        let dockerfile = try String(contentsOf: repositoryRoot.appendingPathComponent("Dockerfile"), encoding: .utf8)
        #expect(dockerfile.contains("COPY alerts/ ./alerts/"))
        var inRepository = configuration
        inRepository.alerts?.rules = repositoryRoot.appendingPathComponent("alerts").path
        #expect(try !inRepository.alertRules().isEmpty)
        // Each receiver is a compose service listening where the URL points.
        for receiver in alerts.receivers {
            let url = try #require(URL(string: receiver.url))
            let service = try #require(url.host)
            let command = compose.command(of: service)
            #expect(command.first == "webhook-sink", "\(service) is not a webhook-sink")
            #expect(Self.option("--port", in: command) == url.port.map(String.init))
            #expect(Self.option("--host", in: command) == "0.0.0.0")
        }
        #expect(!alerts.receivers.isEmpty)
    }

    @Test func grafanaLoadsTheProvisionedDashboards() throws {
        let compose = try ComposeFile.load()
        let provider = try #require(
            (try Self.yaml("dashboards/provisioning/dashboards/driftline.yaml")["providers"] as? [[String: Any]])?.first
        )
        let path = try #require((provider["options"] as? [String: Any])?["path"] as? String)
        let mounts = compose.mounts(of: "grafana")
        #expect(mounts.contains { $0.source == "./dashboards/json" && $0.target == path })
        #expect(
            mounts.contains { $0.source == "./dashboards/provisioning" && $0.target == "/etc/grafana/provisioning" })
        if let home = compose.environment(of: "grafana")["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"] {
            #expect(home.hasPrefix(path + "/"))
            let file = repositoryRoot.appendingPathComponent("dashboards/json").appendingPathComponent(
                String(home.dropFirst(path.count + 1)))
            #expect(
                FileManager.default.fileExists(atPath: file.path),
                "the home dashboard \(home) is not in dashboards/json")
        }
        let environment = compose.environment(of: "grafana")
        #expect(environment["GF_AUTH_ANONYMOUS_ENABLED"] == "true")
        #expect(environment["GF_AUTH_ANONYMOUS_ORG_ROLE"] == "Viewer")
    }

    // MARK: Dockerfile

    @Test func theImageBuildsWithLibrdkafkaAndRunsItWithoutRoot() throws {
        let stages = try Self.text("Dockerfile").components(separatedBy: "\nFROM ").dropFirst()
        #expect(stages.count == 2, "a build stage and a runtime stage")
        let build = try #require(stages.first)
        let runtime = try #require(stages.last)
        #expect(build.hasPrefix("swift:6.1-bookworm AS build"))
        #expect(build.contains("librdkafka-dev"))
        #expect(build.contains("swift build -c release --product driftline --static-swift-stdlib"))
        #expect(runtime.hasPrefix("debian:bookworm-slim"))
        #expect(runtime.contains("librdkafka1") && runtime.contains("ca-certificates"))
        #expect(runtime.contains("COPY --from=build "))
        let user = runtime.split(separator: "\n").last { $0.hasPrefix("USER ") }
        #expect(user != nil && user?.hasPrefix("USER root") == false && user?.hasPrefix("USER 0") == false)
        #expect(runtime.contains(#"ENTRYPOINT ["/usr/local/bin/driftline"]"#))
        let ignored = try Self.text(".dockerignore").split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        #expect(ignored.contains(".build*") && ignored.contains(".git"))
    }

    // MARK: Grafana

    @Test func theDatasourceIsTheOneTheDashboardsUse() throws {
        let datasource = try #require(
            (try Self.yaml("dashboards/provisioning/datasources/driftline.yaml")["datasources"] as? [[String: Any]])?
                .first)
        #expect(datasource["uid"] as? String == "driftline-pg")
        #expect(datasource["type"] as? String == "grafana-postgresql-datasource")
        // The read-only login (a member of driftline_reader) that dashboards/postgres-init creates.
        #expect(datasource["user"] as? String == "grafana")
        let json = datasource["jsonData"] as? [String: Any] ?? [:]
        #expect(json["database"] as? String == "driftline")
        #expect(json["sslmode"] as? String == "disable")
        #expect(datasource["secureJsonData"] == nil, "no password in the repository")
        // The compose Postgres creates that login, in driftline_reader, when its volume is new.
        let compose = try ComposeFile.load()
        let initMount = try #require(
            compose.mounts(of: "postgres").first { $0.target == "/docker-entrypoint-initdb.d" && $0.isBind },
            "the postgres service mounts no init scripts")
        let folder = repositoryRoot.appendingPathComponent(initMount.source)
        let scripts = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }
        let sql = try scripts.map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
            .joined(separator: "\n")
        #expect(sql.contains("CREATE ROLE grafana LOGIN") && sql.contains("GRANT driftline_reader TO grafana"))

        let queries = try Self.dashboardQueries()
        #expect(queries.count >= 15)
        for query in queries {
            #expect(
                query.datasourceUID == "driftline-pg", "\(query.title) uses datasource \(query.datasourceUID ?? "nil")")
        }
    }

    @Test func panelsUseRawSQLInTheFormatTheirVisualizationNeeds() throws {
        let queries = try Self.dashboardQueries()
        let titles = Set(queries.map(\.title))
        for wanted in [
            "Requests/s by model", "Error rate by model", "TTFT p50 / p95 / p99 by model", "TPOT p99 by model",
            "End-to-end latency p99 by model", "Tokens/s by kind", "Errors/s by type", "Top tenants by requests",
            "Late events by model", "Dead letters by topic", "Consumer offsets", "variable model", "variable tenant",
            "TPOT p50 / p95 / p99 by model", "End-to-end p50 / p95 / p99 by model", "TTFT heatmap",
            "Error rate by provider", "Spend by team", "Spend by tenant", "Spend by model", "Unpriced tokens by model",
            "Budget burn", "PSI per feature", "Detector events", "Burn rate per tier", "Alert history",
            "Remaining error budget",
            "variable app", "variable environment", "annotation Model and version changes",
        ] {
            #expect(titles.contains(wanted), "the dashboards have no panel \(wanted)")
        }
        for query in queries where query.kind == .panel {
            #expect(query.rawQuery, "\(query.name) is not a raw SQL query")
            let expected = ["timeseries", "heatmap"].contains(query.panelType) ? "time_series" : "table"
            #expect(query.format == expected, "\(query.name)")
        }
        // Whatever reads the windowed aggregates follows the dashboard's time range.
        let windowed =
            #/\b(dl_windows|dl_costs|dl_cost_windows|dl_latency_minute|dl_latency_hour|dl_spend_daily\w*|dl_span_counts|dl_category_counts)\b/#
        for query in queries where query.sql.contains(windowed) {
            #expect(query.sql.contains("$__timeFilter("), "\(query.name) ignores the time range")
        }
    }

    /// Each dashboard offers the model, app, tenant and environment variables, and a query only
    /// uses variables its dashboard defines.
    @Test func everyDashboardHasTheTemplateVariablesItUses() throws {
        let names = try GrafanaDashboards.variableNames()
        for (file, variables) in names where file != "llm-overview.json" {
            #expect(variables.isSuperset(of: ["model", "app", "tenant", "environment"]), "\(file): \(variables)")
        }
        for query in try Self.dashboardQueries() {
            for match in query.sql.matches(of: #/\$\{?([A-Za-z][A-Za-z0-9_]*)/#) {
                #expect(
                    names[query.file]?.contains(String(match.1)) == true,
                    "\(query.name) uses $\(match.1), which its dashboard does not define")
            }
        }
    }

    // MARK: Helpers

    static func text(_ path: String) throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
    }

    static func yaml(_ path: String) throws -> [String: Any] {
        try #require(try Yams.load(yaml: text(path)) as? [String: Any], "\(path) is not a YAML mapping")
    }

    /// The value after `name` in an argument list.
    static func option(_ name: String, in arguments: [String]) -> String? {
        guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
        return arguments[index + 1]
    }

    /// Paths to the settings that hold a password written in the file. A password may only come
    /// from the environment (`${NAME}`, `${NAME:?message}`; a `:-default` would be a literal), and
    /// a `…_FILE` key names a file holding it. URLs must not carry a literal password either.
    static func literalPasswords(in value: Any, path: String = "") -> [String] {
        func isLiteral(_ value: Any) -> Bool {
            guard let text = value as? String else { return true }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            return !trimmed.isEmpty
                && trimmed.wholeMatch(of: #/\$\{[A-Za-z_][A-Za-z0-9_]*(:?\?[^}]*|:-)?\}|\$[A-Za-z_][A-Za-z0-9_]*/#)
                    == nil
        }
        func isPasswordKey(_ key: String) -> Bool {
            let upper = key.uppercased()
            return upper.contains("PASSWORD") && !upper.hasSuffix("_FILE")
        }
        func hasURLPassword(_ text: String) -> Bool {
            guard let match = text.firstMatch(of: #/[a-z][a-z0-9+.-]*://[^/:@\s]+:([^@\s]+)@/#) else { return false }
            return isLiteral(String(match.1))
        }
        let prefix = path.isEmpty ? "" : path + "."
        if let map = value as? [String: Any] {
            return map.keys.sorted().flatMap { key -> [String] in
                let child = map[key] as Any
                if isPasswordKey(key), !(child is [String: Any]), !(child is [Any]), isLiteral(child) {
                    return [prefix + key]
                }
                return literalPasswords(in: child, path: prefix + key)
            }
        }
        if let list = value as? [Any] {
            return list.enumerated().flatMap { index, element -> [String] in
                let elementPath = "\(path)[\(index)]"
                if let entry = element as? String, let equals = entry.firstIndex(of: "="),
                    isPasswordKey(String(entry[..<equals])), isLiteral(String(entry[entry.index(after: equals)...]))
                {
                    return [elementPath]
                }
                return literalPasswords(in: element, path: elementPath)
            }
        }
        if let text = value as? String, hasURLPassword(text) { return [path] }
        return []
    }

    /// Every panel target's raw SQL (rows included), query variable and annotation of every
    /// dashboard in dashboards/json.
    static func dashboardQueries() throws -> [GrafanaQuery] {
        #expect(try GrafanaDashboards.files().contains("llm-overview.json"))
        return try GrafanaDashboards.queries()
    }
}

/// compose.yaml, parsed, with the few readings the tests need. Variables are resolved the way
/// compose does when they are unset: `${NAME:-default}` gives the default.
struct ComposeFile {
    var document: [String: Any]
    var services: [String: [String: Any]]

    static func load() throws -> ComposeFile {
        let document = try DeploymentTests.yaml("compose.yaml")
        let services = try #require(document["services"] as? [String: [String: Any]], "compose.yaml has no services")
        return ComposeFile(document: document, services: services)
    }

    static func interpolate(_ text: String) -> String {
        text.replacing(#/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/#) { match in String(match.2 ?? "") }
    }

    func command(of service: String) -> [String] {
        switch services[service]?["command"] {
        case let list as [Any]: return list.map { Self.interpolate("\($0)") }
        case let text as String: return Self.interpolate(text).split(separator: " ").map(String.init)
        default: return []
        }
    }

    /// The `kafka-topics.sh` commands of kafka-init's script, one argument list each.
    func topicCommands() -> [[String]] {
        (command(of: "kafka-init").last ?? "").split(separator: "\n").map {
            $0.split(separator: " ").map(String.init)
        }.filter { $0.first?.hasSuffix("kafka-topics.sh") == true }
    }

    func environment(of service: String) -> [String: String] {
        switch services[service]?["environment"] {
        case let map as [String: Any]:
            return map.mapValues { Self.interpolate("\($0)") }
        case let list as [Any]:
            var result: [String: String] = [:]
            for entry in list.map({ "\($0)" }) {
                guard let equals = entry.firstIndex(of: "=") else { continue }
                result[String(entry[..<equals])] = Self.interpolate(String(entry[entry.index(after: equals)...]))
            }
            return result
        default:
            return [:]
        }
    }

    struct Mount {
        var source: String
        var target: String
        var isBind: Bool
    }

    func mounts(of service: String) -> [Mount] {
        (services[service]?["volumes"] as? [Any] ?? []).compactMap { entry in
            if let long = entry as? [String: Any] {
                guard let source = long["source"] as? String, let target = long["target"] as? String else { return nil }
                return Mount(source: source, target: target, isBind: long["type"] as? String == "bind")
            }
            let parts = Self.interpolate("\(entry)").split(separator: ":").map(String.init)
            guard parts.count >= 2 else { return nil }
            let isBind = parts[0].hasPrefix(".") || parts[0].hasPrefix("/") || parts[0].hasPrefix("~")
            return Mount(source: parts[0], target: parts[1], isBind: isBind)
        }
    }
}
