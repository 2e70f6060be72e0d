import ArgumentParser

struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract:
            "Drift: the PSI report from Postgres, and tools for exported samples with the pipeline's detectors and measures.",
        subcommands: [
            DriftReportCommand.self, DriftDetectCommand.self, DriftPSICommand.self, DriftEmbeddingsCommand.self,
        ])
}
