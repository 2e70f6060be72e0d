public import ArgumentParser
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
        let configuration = try PipelineConfiguration.load(file: config)
        let url = try configuration.databaseURL()
        let client = PostgresClient(
            configuration: try url.clientConfiguration(maximumConnections: configuration.postgres.maxConnections),
            backgroundLogger: logger)
        let store = AggregateStore(client: client, logger: logger)
        let pipeline = IngestPipeline(configuration: configuration, store: store, logger: logger)
        // Shutdown goes in reverse order: the pipeline stops and flushes first, then the
        // Postgres client it flushes through.
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: client),
                    .init(service: pipeline, successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

func makeLogger(_ label: String, level: Logger.Level) -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = level
    return logger
}
