import ArgumentParser
import DriftlinePipeline
import DriftlineStore
import Foundation
import Logging

struct LifecycleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lifecycle",
        abstract: "Storage lifecycle: hourly rollups of old minute windows and retention (docs/storage.md).",
        subcommands: [LifecycleRunCommand.self])
}

/// `driftline lifecycle run`: one run of what `driftline run` does every `lifecycle.every_seconds`,
/// printing what it rolled up and deleted. Safe next to running members: whoever holds the
/// lifecycle's lock works, the others do nothing.
struct LifecycleRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Roll up and delete what is due now, and print what was done.")

    @Option(
        help:
            "Pipeline configuration (YAML); its lifecycle and postgres sections are used (defaults without). DATABASE_URL overrides it."
    )
    var config: String?

    @Flag(help: "Report what would be rolled up and deleted, and change nothing.")
    var dryRun = false

    func run() async throws {
        let logger = makeLogger("driftline.lifecycle", level: .warning)
        let dryRun = self.dryRun
        try await CommandFailure.reporting {
            let configuration = try PipelineConfiguration.load(optionalFile: config)
            let settings = configuration.lifecycle ?? PipelineConfiguration.LifecycleSettings()
            let lifecycle = StorageLifecycle(policy: settings.policy)
            let report = try await withReachablePostgresClient(configuration: configuration, logger: logger) {
                client in
                try await lifecycle.run(
                    client: client, now: Int64(Date().timeIntervalSince1970), dryRun: dryRun, logger: logger)
            }
            for line in report.lines { print(line) }
        }
    }
}
