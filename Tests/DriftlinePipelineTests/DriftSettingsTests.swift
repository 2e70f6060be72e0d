import DriftlineCore
import DriftlineStats
import Testing

@testable import DriftlinePipeline

/// `drift:` in the pipeline YAML: defaults, every setting read, and a clear message for a bad one.
@Suite struct DriftSettingsTests {
    static let base = """
        kafka: {brokers: "127.0.0.1:9092", group_id: g, topics: [{name: t, format: native_json}]}
        """

    static func parse(_ drift: String) throws -> PipelineConfiguration {
        let configuration = try PipelineConfiguration.parse(yaml: base + "\n" + drift, file: "p.yaml")
        try configuration.validate(file: "p.yaml")
        return configuration
    }

    static func message(_ drift: String) -> String {
        do {
            _ = try parse(drift)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func defaultsAreRiversAndTheCustomaryPSIRule() throws {
        let drift = try Self.parse("").drift
        let detectors = try #require(drift.detectors)
        #expect(detectors.adwin == .default)
        #expect(detectors.pageHinkley == nil, "Page-Hinkley is opt-in")
        #expect(detectors.streamBy == [.model])
        #expect(detectors.signals == [.ttft, .tpot, .error, .outputTokens])
        let psi = try #require(drift.psi)
        #expect(psi.binning == .quantile && psi.bins == 10 && psi.thresholds == .default)
    }

    @Test func everySettingIsRead() throws {
        let drift = try Self.parse(
            """
            drift:
              detectors:
                stream_by: [app, model]
                signals: [latency, error]
                adwin: {delta: 0.1, clock: 1, max_buckets: 3, min_window_length: 7, grace_period: 20}
                page_hinkley: {min_instances: 10, delta: 0.01, threshold: 20, alpha: 0.99, mode: up}
              psi:
                every_seconds: 60
                current_seconds: 600
                reference_from: "2026-11-01T00:00:00Z"
                reference_to: "2026-11-02T00:00:00Z"
                group_by: [tenant]
                binning: sturges
                features: [ttft, error_type]
                minor: 0.05
                major: 0.3
            """
        ).drift
        let detectors = try #require(drift.detectors)
        #expect(detectors.streamBy == [.app, .model])
        #expect(detectors.signals == [.latency, .error])
        #expect(
            detectors.adwin
                == (try ADWIN.Configuration(delta: 0.1, clock: 1, maxBuckets: 3, minWindowLength: 7, gracePeriod: 20)))
        #expect(
            detectors.pageHinkley
                == (try PageHinkley.Configuration(minInstances: 10, delta: 0.01, threshold: 20, alpha: 0.99, mode: .up))
        )
        let psi = try #require(drift.psi)
        #expect(psi.fixedReference == 1_793_491_200..<1_793_577_600)
        #expect(psi.groupBy == [.tenant] && psi.binning == .sturges && psi.features == ["ttft", "error_type"])
        #expect(psi.thresholds == (try PSIThresholds(minor: 0.05, major: 0.3)))
        let (reference, current) = psi.periods(now: 1_764_072_125, windowSeconds: 60)
        #expect(current == 1_764_071_520..<1_764_072_120)
        #expect(reference == 1_793_491_200..<1_793_577_600)
    }

    @Test func offTurnsEachPartOff() throws {
        let drift = try Self.parse("drift: {detectors: off, psi: off}").drift
        #expect(drift.detectors == nil && drift.psi == nil)
        let noPageHinkley = try Self.parse("drift: {detectors: {page_hinkley: off}}").drift
        #expect(noPageHinkley.detectors?.pageHinkley == nil)
        let withDefaults = try Self.parse("drift: {detectors: {page_hinkley: on}}").drift
        #expect(withDefaults.detectors?.pageHinkley == .default)
    }

    @Test func aTrailingReferenceEndsWhereTheCurrentPeriodStarts() throws {
        let psi = try #require(
            try Self.parse("drift: {psi: {current_seconds: 3600, reference_seconds: 7200}}").drift.psi)
        let end: Int64 = 600_000
        let (reference, current) = psi.periods(now: end + 59, windowSeconds: 60)
        #expect(current == (end - 3_600)..<end)
        #expect(reference == (end - 10_800)..<(end - 3_600))
    }

    @Test func badSettingsSayWhatWasExpected() {
        #expect(Self.message("drift: {detectors: {adwin: {delta: 2}}}").contains("expected a number in (0, 1), got 2"))
        #expect(Self.message("drift: {detectors: {adwin: {clock: x}}}").contains("expected an integer, got \"x\""))
        #expect(
            Self.message("drift: {detectors: {signals: [ttft, colour]}}").contains("unknown drift signal \"colour\""))
        #expect(Self.message("drift: {detectors: {signals: [ttft, ttft]}}").contains("drift.detectors.signals"))
        #expect(Self.message("drift: {detectors: {page_hinkley: {mode: sideways}}}").contains("up, down or both"))
        #expect(Self.message("drift: {detectors: {adwn: {}}}").contains("unknown setting"))
        #expect(Self.message("drift: {psi: {binning: categorical}}").contains("expected quantile or sturges"))
        #expect(Self.message("drift: {psi: {reference_from: \"2026-11-01T00:00:00Z\"}}").contains("needs both"))
        #expect(Self.message("drift: {psi: {reference_from: yesterday, reference_to: today}}").contains("RFC 3339"))
        #expect(Self.message("drift: {psi: {bins: 1}}").contains("drift.psi.bins"))
        #expect(Self.message("drift: {psi: {minor: 0.3, major: 0.2}}").contains("0 < minor ≤ major"))
        #expect(Self.message("drift: {psi: {features: [ttft, colour]}}").contains("got \"colour\""))
        #expect(Self.message("drift: {psi: {features: [ttft, model_version, error_type, label:lang]}}") == "accepted")
    }
}

/// `START..END` on the command line.
@Suite struct ReportPeriodTests {
    @Test func timesNowAndRelativeEnds() throws {
        let now: Int64 = 1_764_072_000
        #expect(try ReportPeriod.parse("-7d..now", now: now) == (now - 7 * 86_400)..<now)
        #expect(try ReportPeriod.parse("-2h..-30m", now: now) == (now - 7_200)..<(now - 1_800))
        #expect(
            try ReportPeriod.parse("2025-11-25T11:00:00Z..2025-11-25T12:00:00Z", now: now) == (now - 3_600)..<now)
    }

    @Test func badPeriodsSayWhy() {
        func message(_ text: String) -> String {
            do {
                _ = try ReportPeriod.parse(text, now: 1_000_000)
                return "accepted"
            } catch {
                return error.description
            }
        }
        #expect(message("-1d") == "period \"-1d\": expected START..END")
        #expect(message("now..-1d") == "period \"now..-1d\": the start is not before the end")
        #expect(message("-1w..now").contains("\"-1w\" is not an RFC 3339 time, now, or -N followed by m, h or d"))
    }
}
