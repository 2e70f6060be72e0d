public import DriftlineStore

extension PipelineConfiguration {
    /// `lifecycle:` — the storage lifecycle (docs/storage.md): every `every_seconds` the sub-hour
    /// window rows whose hour ended more than `rollup_after_hours` ago are merged exactly into
    /// hourly rows, and rows past their retention are deleted. `lifecycle: off` turns the
    /// periodic job off (`driftline lifecycle run` still works); `rollup_after_hours: 0` turns
    /// the rollup off; a retention of 0 days keeps those rows forever.
    public struct LifecycleSettings: Codable, Sendable, Equatable {
        public var everySeconds = 600
        public var rollupAfterHours = 48
        public var batchHours = 6
        /// Days per retention class (`minute_windows`, `hour_windows`, `dead_letters`, …).
        public var retentionDays: [RetentionRule.Class: Int] = Self.defaultRetentionDays

        public static let defaultRetentionDays: [RetentionRule.Class: Int] = [
            .subHourWindows: 14, .hourWindows: 400, .deadLetters: 30, .rejectedRows: 30, .drift: 400,
            .alertHistory: 400, .qualitySamples: 400, .embeddings: 30,
        ]

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case everySeconds = "every_seconds"
            case rollupAfterHours = "rollup_after_hours"
            case batchHours = "batch_hours"
            case retentionDays = "retention_days"
        }

        /// The keys of `retention_days:`.
        struct RetentionKey: CodingKey, CaseIterable {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
            static var allCases: [RetentionKey] {
                RetentionRule.Class.allCases.map { RetentionKey(stringValue: $0.rawValue) }
            }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            everySeconds = try container.decodeInteger(.everySeconds, expected: "a number of seconds") ?? everySeconds
            rollupAfterHours =
                try container.decodeInteger(.rollupAfterHours, expected: "a number of hours (0: no rollup)")
                ?? rollupAfterHours
            batchHours = try container.decodeInteger(.batchHours, expected: "a number of hours") ?? batchHours
            if container.contains(.retentionDays) {
                let nested = try container.superDecoder(forKey: .retentionDays)
                let retention = try nested.strictContainer(keyedBy: RetentionKey.self)
                for key in retention.allKeys {
                    guard let retentionClass = RetentionRule.Class(rawValue: key.stringValue) else { continue }
                    if let days = try retention.decodeInteger(key, expected: "a number of days (0: keep forever)") {
                        retentionDays[retentionClass] = days
                    }
                }
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(everySeconds, forKey: .everySeconds)
            try container.encode(rollupAfterHours, forKey: .rollupAfterHours)
            try container.encode(batchHours, forKey: .batchHours)
            var retention = container.nestedContainer(keyedBy: RetentionKey.self, forKey: .retentionDays)
            for (retentionClass, days) in retentionDays.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                try retention.encode(days, forKey: RetentionKey(stringValue: retentionClass.rawValue))
            }
        }

        func validate(file: String?) throws {
            func fail(_ key: String, _ message: String) -> ConfigurationError {
                ConfigurationError(file: file, key: "lifecycle.\(key)", message)
            }
            if !(10...86_400).contains(everySeconds) {
                throw fail("every_seconds", "expected 10…86400 seconds, got \(everySeconds)")
            }
            // Two hours at least: the hour being rolled must be complete, and late events of the
            // last hour should still land in minute rows.
            if rollupAfterHours != 0 && !(2...24 * 3_660).contains(rollupAfterHours) {
                throw fail("rollup_after_hours", "expected 0 (no rollup) or 2…87840 hours, got \(rollupAfterHours)")
            }
            if !(1...744).contains(batchHours) {
                throw fail("batch_hours", "expected 1…744 hours, got \(batchHours)")
            }
            for (retentionClass, days) in retentionDays.sorted(by: { $0.key.rawValue < $1.key.rawValue })
            where !(0...36_600).contains(days) {
                throw fail(
                    "retention_days.\(retentionClass.rawValue)",
                    "expected 0 (keep forever) or 1…36600 days, got \(days)")
            }
            let minuteDays = retentionDays[.subHourWindows] ?? 0
            if rollupAfterHours > 0 && minuteDays > 0 && minuteDays * 24 <= rollupAfterHours {
                throw fail(
                    "retention_days.minute_windows",
                    "minute rows would be deleted before they are rolled up: expected more than rollup_after_hours "
                        + "(\(rollupAfterHours) h), got \(minuteDays) days")
            }
            let hourDays = retentionDays[.hourWindows] ?? 0
            if hourDays > 0 && minuteDays > hourDays {
                throw fail(
                    "retention_days.hour_windows",
                    "expected at least minute_windows (\(minuteDays) days), got \(hourDays) days")
            }
        }

        /// The store's policy (seconds).
        public var policy: LifecyclePolicy {
            var retention: [RetentionRule.Class: Int64] = [:]
            for (retentionClass, days) in retentionDays where days > 0 {
                retention[retentionClass] = Int64(days) * 86_400
            }
            return LifecyclePolicy(
                rollupAfter: rollupAfterHours > 0 ? Int64(rollupAfterHours) * 3_600 : nil,
                batchHours: Int64(batchHours), retention: retention)
        }
    }
}
