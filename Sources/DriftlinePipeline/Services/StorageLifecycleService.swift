import DriftlineStore
import Foundation
public import Logging
public import PostgresNIO

extension PeriodicService {
    /// Runs the storage lifecycle (rollups, retention) every `lifecycle.every_seconds`. Every
    /// member runs it; the lifecycle's advisory lock lets one of them do the work and the others
    /// find it taken and do nothing. The first run waits a full interval, so migrations are done.
    public static func storageLifecycle(
        settings: PipelineConfiguration.LifecycleSettings, client: PostgresClient, logger: Logger
    ) -> PeriodicService {
        let interval = Duration.seconds(settings.everySeconds)
        let lifecycle = StorageLifecycle(policy: settings.policy)
        return PeriodicService(
            name: "storage lifecycle", schedule: PeriodicSchedule(interval: interval, initialDelay: interval),
            logger: logger
        ) {
            let report = try await lifecycle.run(
                client: client, now: Int64(Date().timeIntervalSince1970), logger: logger)
            if !report.changedNothing {
                logger.notice("storage lifecycle", metadata: ["done": "\(report.lines.joined(separator: "; "))"])
            }
        }
    }
}
