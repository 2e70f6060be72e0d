import ArgumentParser
import DriftlineCore
import DriftlinePipeline
import DriftlineStore
import Foundation
import Logging

struct CostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost", abstract: "Read spend from Postgres.", subcommands: [CostReportCommand.self])
}

struct CostReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Spend by one dimension over a recent range (dl_spend).")

    @Option(
        name: .long, help: "model, provider, app, route, tenant, user, team, environment, model_version or label:KEY.")
    var by: String = "model"

    @Option(name: .long, help: "How far back: e.g. 30m, 12h, 7d.")
    var since: String = "1d"

    @Option(
        name: .long,
        help: "Pipeline configuration (YAML); only its postgres section is used. DATABASE_URL overrides it.")
    var config: String?

    func run() async throws {
        guard let seconds = Self.parseDuration(since) else {
            throw ValidationError("--since: expected a number followed by m, h or d (e.g. 7d), got \(since)")
        }
        let dimensions = Dimension.allCases.map(\.rawValue)
        guard dimensions.contains(by) || (by.hasPrefix("label:") && by.count > 6) else {
            throw ValidationError("--by: expected one of \(dimensions.joined(separator: ", ")) or label:KEY, got \(by)")
        }
        let logger = makeLogger("driftline.cost", level: .warning)
        let now = Int64(Date().timeIntervalSince1970) + 1
        let by = self.by
        try await CommandFailure.reporting {
            let configuration = try PipelineConfiguration.load(optionalFile: config)
            let rows = try await withReachablePostgresClient(configuration: configuration, logger: logger) { client in
                try await AggregateStore(client: client, logger: logger).spend(by: by, from: now - seconds, to: now)
            }
            print(CostReport.render(rows, dimension: by, title: "spend by \(by), last \(since)"))
        }
    }

    static func parseDuration(_ text: String) -> Int64? {
        guard let unit = text.last, let value = Int64(text.dropLast()), value > 0 else { return nil }
        switch unit {
        case "m": return value * 60
        case "h": return value * 3600
        case "d": return value * 86_400
        default: return nil
        }
    }
}
