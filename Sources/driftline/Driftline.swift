import ArgumentParser

@main
struct Driftline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "driftline",
        abstract: "LLM observability and drift monitoring: Kafka request logs → windowed aggregates in Postgres.",
        subcommands: [
            RunCommand.self, MigrateCommand.self, GenerateCommand.self, DemoCommand.self, PricesCommand.self,
            CostCommand.self, DriftCommand.self, AlertsCommand.self, WebhookSinkCommand.self, ReportCommand.self,
            LifecycleCommand.self, FaithfulnessCommand.self, HealthCommand.self,
        ]
    )
}
