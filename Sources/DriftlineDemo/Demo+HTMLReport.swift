import DriftlinePipeline
import DriftlineStore
import Foundation

extension Demo {
    /// Writes `driftline report`'s HTML page over the demo's traffic to `reportPath` and returns
    /// the line that says where it is.
    func writeHTMLReport(store: AggregateStore) async throws -> String {
        let now = Int64(Date().timeIntervalSince1970)
        // The traffic's whole span and the minute before it, in whole minutes.
        let minutes = Int64(seconds / 60) + 2
        let query = ReportQuery(from: now - minutes * 60, to: now + 1, rangeLabel: "\(minutes)m")
        let data = try await query.run(store: store, generatedAt: now)
        let file = URL(fileURLWithPath: reportPath)
        try Data(HTMLReport.render(data).utf8).write(to: file, options: .atomic)
        return "\nHTML report (what `driftline report --since \(minutes)m` writes): \(file.path)\n"
    }
}
