public import ArgumentParser
import DriftlineModel
import DriftlinePipeline
import DriftlineStore
public import Logging
import PostgresNIO
import ServiceLifecycle

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Consume request logs and keep the aggregates in Postgres up to date (until SIGTERM/SIGINT).")

    @Option(name: .long, help: "Pipeline configuration (YAML). DATABASE_URL and KAFKA_BROKERS override it.")
    var config: String = "pipelines/default.yaml"

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let logger = makeLogger("driftline.run", level: logLevel)
        let relay = SignalRelay()
        try await CommandFailure.reporting {
            // In order of cost, so that a mistake is reported before anything waits: the file,
            // then what needs neither Kafka nor PostgreSQL, then PostgreSQL itself.
            let configuration = try PipelineConfiguration.load(file: config)
            try configuration.checkWithoutDatabase()
            let startup = try DatabaseStartup(configuration: configuration)
            try await Interrupted.onSignals(during: "waiting for PostgreSQL at \(startup.url.address)") {
                try await startup.waitUntilReachable(logger: logger)
            }
            try await runServices(configuration: configuration, url: startup.url, relay: relay, logger: logger)
        }
    }

    private func runServices(
        configuration: PipelineConfiguration, url: DatabaseURL, relay: SignalRelay, logger: Logger
    ) async throws {
        let client = PostgresClient(
            configuration: try url.clientConfiguration(
                maximumConnections: configuration.postgres.maxConnections,
                connectTimeout: configuration.postgres.connectTimeout),
            backgroundLogger: logger)
        let ingestConnection = IngestConnection(
            configuration: try url.connectionConfiguration(connectTimeout: configuration.postgres.connectTimeout),
            logger: logger)
        let store = AggregateStore(client: client, ingestConnection: ingestConnection, logger: logger)
        // Driftline's own metrics go to the Prometheus registry /metrics serves; swift-metrics
        // takes one backend per process, set here once.
        let registry = PrometheusMetrics.bootstrap()
        // The faithfulness scorer (with `quality:`) is `quality.scorer`'s: the shipped reference
        // model by default; it loads on the scoring task, never on ingest.
        let pipeline = IngestPipeline(
            configuration: configuration, store: store, logger: logger,
            makeScorer: (configuration.quality?.scorer ?? .reference).factory,
            metrics: PipelineMetrics(), scorerMetrics: ScorerMetrics())
        defer { Task { await ingestConnection.close() } }
        var server: HealthServer?
        if let settings = configuration.metrics {
            let started = try await HealthServer.start(host: settings.host, port: settings.port, registry: registry) {
                await pipeline.readiness()
            }
            logger.info("serving /metrics, /healthz and /readyz", metadata: ["url": "\(started.url)"])
            server = started
        }
        // Shutdown goes in reverse order: the pipeline stops and flushes first, then the
        // Postgres client it flushes through.
        var group = ServiceGroupConfiguration(
            services: [
                .init(service: client),
                .init(service: pipeline, successTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        // A signal must end the process even when the pipeline is stuck where it does not
        // listen for a graceful shutdown (migrating against a server that went away after the
        // start-up check): after this long the services are cancelled. Below compose's 30 s
        // stop_grace_period; what was not flushed is re-read from the stored offsets.
        group.maximumGracefulShutdownDuration = .seconds(25)
        let services = ServiceGroup(configuration: group)
        // Any signal the relay heard (also one that came before the group listened) shuts the
        // group down gracefully; the group's own handling makes the same call.
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await services.run() }
                tasks.addTask {
                    for await _ in relay.signals { await services.triggerGracefulShutdown() }
                }
                try await tasks.next()
                tasks.cancelAll()
            }
        } catch {
            await server?.stop()
            throw error
        }
        await server?.stop()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

func makeLogger(_ label: String, level: Logger.Level) -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = level
    return logger
}
