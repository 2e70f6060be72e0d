import ArgumentParser
import DriftlinePipeline
import Foundation
import Logging

/// `driftline alerts status`: what the alert engine holds now, from PostgreSQL.
struct AlertsStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Alerts pending or firing, the latest changes, and the outbox per receiver, from Postgres.")

    @Option(help: "Pipeline configuration (YAML); only its postgres section is used. DATABASE_URL overrides it.")
    var config: String?

    @Option(help: "How many of the latest changes to show.")
    var recent = 10

    func run() async throws {
        let logger = makeLogger("driftline.alerts", level: .warning)
        let recent = recent
        try await CommandFailure.reporting {
            let configuration = try PipelineConfiguration.load(optionalFile: config)
            let status = try await withReachablePostgresClient(configuration: configuration, logger: logger) {
                try await PostgresAlertStore(client: $0, logger: logger).status(recent: recent)
            }
            print(Self.render(status))
        }
    }

    static func render(_ status: AlertStatus) -> String {
        var lines: [String] = []
        if status.current.isEmpty {
            lines.append("no alert is pending or firing")
        } else {
            var table = TextTable(columns: ["state", "severity", "rule", "since", "labels", "summary"])
            for alert in status.current {
                table.add([
                    alert.state, alert.severity, alert.rule, Self.time(alert.since), alert.labels, alert.summary,
                ])
            }
            lines.append(table.render())
        }
        if !status.recent.isEmpty {
            lines.append("")
            lines.append("latest changes")
            var table = TextTable(columns: ["at", "status", "rule", "labels"])
            for change in status.recent {
                table.add([Self.time(change.at), change.status, change.rule, change.labels])
            }
            lines.append(table.render())
        }
        if !status.receivers.isEmpty {
            lines.append("")
            lines.append("outbox")
            var table = TextTable(columns: [
                "receiver", "waiting", "delivered", "rejected", "oldest waiting", "last error",
            ])
            for receiver in status.receivers {
                table.add([
                    receiver.receiver, "\(receiver.waiting)", "\(receiver.delivered)", "\(receiver.rejected)",
                    receiver.oldestWaiting.map(Self.time) ?? "", receiver.lastError ?? "",
                ])
            }
            lines.append(table.render())
        }
        return lines.joined(separator: "\n")
    }

    private static func time(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
    }
}
