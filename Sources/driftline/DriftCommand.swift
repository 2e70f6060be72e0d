import ArgumentParser

struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract:
            "Drift tools for exported samples, with the pipeline's detectors and measures (no Kafka, no Postgres).",
        subcommands: [DriftDetectCommand.self, DriftPSICommand.self, DriftEmbeddingsCommand.self])
}
