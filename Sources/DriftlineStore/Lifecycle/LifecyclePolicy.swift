/// What the storage lifecycle does, in seconds: when one-minute rows become hourly rows, and how
/// long each class of rows is kept. `nil` turns a step off (no rollup; keep forever).
public struct LifecyclePolicy: Sendable, Equatable {
    /// Sub-hour window rows whose hour ended at least this long ago are rolled up into hourly rows.
    public var rollupAfter: Int64?
    /// Hours of sub-hour rows merged per transaction.
    public var batchHours: Int64
    /// Retention per class; a class without an entry is kept forever.
    public var retention: [RetentionRule.Class: Int64]
    /// Rows deleted per retention transaction.
    public var deleteBatchRows: Int

    public init(
        rollupAfter: Int64? = Self.default.rollupAfter, batchHours: Int64 = Self.default.batchHours,
        retention: [RetentionRule.Class: Int64] = Self.default.retention, deleteBatchRows: Int = 10_000
    ) {
        self.rollupAfter = rollupAfter
        self.batchHours = batchHours
        self.retention = retention
        self.deleteBatchRows = deleteBatchRows
    }

    private init(defaults: Void) {
        rollupAfter = 48 * 3_600
        batchHours = 6
        retention = [
            .subHourWindows: 14 * 86_400, .hourWindows: 400 * 86_400, .deadLetters: 30 * 86_400,
            .rejectedRows: 30 * 86_400, .drift: 400 * 86_400, .alertHistory: 400 * 86_400,
            .qualitySamples: 400 * 86_400, .embeddings: 30 * 86_400,
        ]
        deleteBatchRows = 10_000
    }

    /// Rollup after 48 hours; minute rows that were not rolled up kept 14 days, hourly rows 400
    /// days, dead letters, rejected rows and embedding sums and samples 30 days, drift results,
    /// alert history and quality samples 400 days.
    public static let `default` = LifecyclePolicy(defaults: ())
}
