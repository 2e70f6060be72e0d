import ArgumentParser
import DriftlinePipeline
import DriftlineStore
import Logging

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the schema migrations (also done by `run` at start; safe to run concurrently).")

    @Option(
        name: .long,
        help: "Pipeline configuration (YAML); only its postgres section is used. DATABASE_URL overrides it.")
    var config: String?

    func run() async throws {
        let logger = makeLogger("driftline.migrate", level: .info)
        try await CommandFailure.reporting {
            let configuration = try PipelineConfiguration.load(optionalFile: config)
            let applied = try await withReachablePostgresClient(configuration: configuration, logger: logger) {
                client in
                try await Migrator().migrate(client: client, logger: logger)
            }
            print(
                applied.isEmpty
                    ? "schema is up to date" : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
        }
    }
}
