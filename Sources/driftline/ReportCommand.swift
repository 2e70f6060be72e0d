import ArgumentParser
import DriftlinePipeline
import DriftlineStore
import Foundation
import Logging

/// `driftline report`: one self-contained HTML page (inline CSS and SVG) with p99 TTFT per
/// model, requests and errors, cost by team, drift and alerts, for people without Grafana.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report (latency, traffic, cost, drift, alerts) from Postgres.")

    @Option(help: "How far back: 15m, 1h, 24h, 7d (any whole number of m, h or d).")
    var since = "1h"

    @Option(help: "The HTML file to write.")
    var out = "report.html"

    @Option(help: "Pipeline configuration (YAML); only its postgres section is used. DATABASE_URL overrides it.")
    var config: String?

    func run() async throws {
        guard let seconds = ReportQuery.seconds(since: since) else {
            throw ValidationError(
                "--since: expected a whole number followed by m, h or d (15m, 1h, 24h, 7d), got \(since)")
        }
        let logger = makeLogger("driftline.report", level: .warning)
        let now = Int64(Date().timeIntervalSince1970)
        let query = ReportQuery(from: now - seconds, to: now + 1, rangeLabel: since)
        let file = URL(fileURLWithPath: out)
        try await CommandFailure.reporting {
            let configuration = try PipelineConfiguration.load(optionalFile: config)
            let data: ReportData
            do {
                data = try await withReachablePostgresClient(configuration: configuration, logger: logger) {
                    try await query.run(store: AggregateStore(client: $0, logger: logger), generatedAt: now)
                }
            } catch let error as ReportQueryError {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(CommandFailure.configuration)
            }
            do {
                try Data(HTMLReport.render(data).utf8).write(to: file, options: .atomic)
            } catch {
                FileHandle.standardError.write(Data("error: cannot write the report to \(file.path): \(error)\n".utf8))
                // EX_CANTCREAT (sysexits.h).
                throw ExitCode(73)
            }
            print(file.path)
        }
    }
}
