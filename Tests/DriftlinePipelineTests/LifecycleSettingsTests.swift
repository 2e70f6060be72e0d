import DriftlineStore
import Testing

@testable import DriftlinePipeline

/// `lifecycle:` in the pipeline YAML: defaults, every setting read, strict keys, and a clear
/// message for a bad value.
@Suite struct LifecycleSettingsTests {
    static let base = """
        kafka: {brokers: "127.0.0.1:9092", group_id: g, topics: [{name: t, format: native_json}]}
        """

    static func parse(_ lifecycle: String) throws -> PipelineConfiguration {
        let configuration = try PipelineConfiguration.parse(yaml: base + "\n" + lifecycle, file: "p.yaml")
        try configuration.validate(file: "p.yaml")
        return configuration
    }

    static func message(_ lifecycle: String) -> String {
        do {
            _ = try parse(lifecycle)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func defaultsRollUpAfterTwoDaysAndKeepHoursFor400Days() throws {
        let settings = try #require(try Self.parse("").lifecycle)
        #expect(settings.everySeconds == 600)
        let policy = settings.policy
        #expect(policy == LifecyclePolicy.default)
        let hours48: Int64 = 172_800
        let days14: Int64 = 1_209_600
        let days400: Int64 = 34_560_000
        let days30: Int64 = 2_592_000
        #expect(policy.rollupAfter == .some(hours48))
        #expect(policy.retention[.subHourWindows] == .some(days14))
        #expect(policy.retention[.hourWindows] == .some(days400))
        #expect(policy.retention[.deadLetters] == .some(days30))
        #expect(policy.retention[.embeddings] == .some(days30))
        #expect(policy.retention[.qualitySamples] == .some(days400))
    }

    /// Embedding sums are not rolled up: their retention must cover the periods drift compares,
    /// and a fixed baseline would age out, so it needs them kept forever.
    @Test func embeddingRetentionCoversTheComparedPeriods() {
        let trailing = "drift: {embeddings: {dimension: 4, reference_seconds: 2592000}}"
        #expect(
            Self.message(trailing).contains(
                "lifecycle.retention_days.embeddings: drift.embeddings compares 2595600 seconds of rows"))
        #expect(Self.message(trailing + "\nlifecycle: {retention_days: {embeddings: 31}}") == "accepted")
        let fixed = """
            drift: {embeddings: {dimension: 4, reference_from: "2026-01-01T00:00:00Z", reference_to: "2026-01-08T00:00:00Z"}}
            """
        #expect(Self.message(fixed).contains("fixed reference period"))
        #expect(Self.message(fixed + "\nlifecycle: {retention_days: {embeddings: 0}}") == "accepted")
        #expect(Self.message(fixed + "\nlifecycle: off") == "accepted")
    }

    @Test func everySettingIsRead() throws {
        let settings = try #require(
            try Self.parse(
                """
                lifecycle:
                  every_seconds: 60
                  rollup_after_hours: 0
                  batch_hours: 24
                  retention_days: {minute_windows: 7, hour_windows: 0, dead_letters: 3, rejected_rows: 4, drift: 90, alert_history: 365,
                                   quality_samples: 60, embeddings: 0}
                """
            ).lifecycle)
        #expect(settings.everySeconds == 60 && settings.batchHours == 24)
        let policy = settings.policy
        #expect(policy.rollupAfter == nil)
        #expect(policy.batchHours == 24)
        let day: Int64 = 86_400
        var expected: [RetentionRule.Class: Int64] = [:]
        expected[.subHourWindows] = 7 * day
        expected[.deadLetters] = 3 * day
        expected[.rejectedRows] = 4 * day
        expected[.drift] = 90 * day
        expected[.alertHistory] = 365 * day
        expected[.qualitySamples] = 60 * day
        #expect(policy.retention == expected)
        #expect(try Self.parse("lifecycle: off").lifecycle == nil)
    }

    @Test func badSettingsNameTheKey() {
        #expect(Self.message("lifecycle: {rollup_after: 3}").contains("rollup_after"))
        #expect(Self.message("lifecycle: {retention_days: {minutes: 3}}").contains("minutes"))
        #expect(Self.message("lifecycle: {rollup_after_hours: abc}").contains("expected a number of hours"))
        #expect(Self.message("lifecycle: {rollup_after_hours: 1}").contains("lifecycle.rollup_after_hours"))
        #expect(Self.message("lifecycle: {batch_hours: 0}").contains("lifecycle.batch_hours"))
        #expect(Self.message("lifecycle: {every_seconds: 1}").contains("lifecycle.every_seconds"))
        #expect(
            Self.message("lifecycle: {retention_days: {dead_letters: -1}}").contains(
                "lifecycle.retention_days.dead_letters"))
        // Minute rows must live until they are rolled up, and hourly rows at least as long.
        #expect(
            Self.message("lifecycle: {rollup_after_hours: 72, retention_days: {minute_windows: 2}}")
                .contains("deleted before they are rolled up"))
        #expect(
            Self.message("lifecycle: {retention_days: {minute_windows: 30, hour_windows: 20}}")
                .contains("lifecycle.retention_days.hour_windows"))
        #expect(Self.message("lifecycle: {rollup_after_hours: 0, retention_days: {minute_windows: 1}}") == "accepted")
    }
}
