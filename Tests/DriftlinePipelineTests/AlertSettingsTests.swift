import DriftlineAlerts
import Foundation
import Testing

@testable import DriftlinePipeline

/// `alerts:` in the pipeline YAML: receivers read and checked, secrets resolved and never shown,
/// rule files checked against what the pipeline stores.
@Suite struct AlertSettingsTests {
    static let base = """
        kafka: {brokers: "127.0.0.1:9092", group_id: g, topics: [{name: t, format: native_json}]}
        """

    static func parse(_ alerts: String) throws -> PipelineConfiguration {
        let configuration = try PipelineConfiguration.parse(yaml: base + "\n" + alerts, file: "p.yaml")
        try configuration.validate(file: "p.yaml")
        return configuration
    }

    static func message(_ alerts: String) -> String {
        do {
            _ = try parse(alerts)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func receiversAreReadWithAlertmanagersGroupingAndTheSecretResolved() throws {
        let configuration = try Self.parse(
            """
            alerts:
              every_seconds: 15
              receivers:
                - name: oncall
                  url: https://hooks.example.com/x
                  secret: env:HOOK_SECRET
                  match: {severity: page}
                  group_by: [alertname, model]
                  group_wait_seconds: 5
            """)
        let alerts = try #require(configuration.alerts)
        #expect(alerts.everySeconds == 15 && !alerts.rulesConfigured)
        let routes = try alerts.routes(environment: ["HOOK_SECRET": "hunter2"])
        #expect(routes.count == 1)
        #expect(routes[0].receiver.secret == "hunter2")
        #expect(routes[0].matchers == ["severity": "page"])
        #expect(routes[0].grouping.groupBy == ["alertname", "model"])
        #expect(routes[0].grouping.groupWait == .seconds(5) && routes[0].grouping.repeatInterval == .seconds(14_400))
        #expect(!"\(routes[0].receiver)".contains("hunter2"), "a receiver's description never shows its secret")
        #expect(throws: ConfigurationError.self) { try alerts.routes(environment: [:]) }
        #expect(try Self.parse("alerts: off").alerts == nil)
    }

    @Test func badReceiversAreNamedByKey() {
        #expect(Self.message("alerts: {receivers: [{name: a, url: ftp://x}]}").contains("alerts.receivers[0].url"))
        #expect(
            Self.message("alerts: {receivers: [{name: a, url: 'http://x'}, {name: a, url: 'http://y'}]}")
                .contains("defined twice"))
        #expect(Self.message("alerts: {receivers: [{name: A, url: 'http://x'}]}").contains("receivers[0].name"))
        #expect(Self.message("alerts: {every_seconds: 0}").contains("alerts.every_seconds"))
        #expect(Self.message("alerts: {recievers: []}").contains("unknown setting"))
    }

    static func rulesFolder(_ files: [String: String]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dl-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder.path
    }

    @Test func rulesAreCheckedAgainstWhatThePipelineStores() throws {
        var configuration = try Self.parse("")
        // The default folder may be absent: alerting is then off.
        configuration.alerts?.rules = "/nonexistent/alerts"
        #expect(try configuration.alertRules().isEmpty)
        configuration.alerts?.rulesConfigured = true
        #expect(throws: ConfigurationError.self) { try configuration.alertRules() }

        let slo = """
            kind: slo
            name: ttft
            objective: 99
            group_by: [GROUP]
            sli: {latency: {metric: ttft, threshold_ms: 1500}}
            """
        configuration.alerts?.rules = try Self.rulesFolder([
            "a.yaml": slo.replacingOccurrences(of: "GROUP", with: "model")
        ])
        let rules = try configuration.alertRules()
        #expect(rules.map(\.name) == ["ttft"])
        #expect(PipelineConfiguration.ingestThresholds(rules) == [.init(metric: .ttft, milliseconds: 1_500)])
        #expect(configuration.analysis(catalogue: nil, alertRules: rules).analysers.contains { $0 is ThresholdCounter })

        // `route` is not among the default aggregation dimensions: it would hold "" in the store.
        configuration.alerts?.rules = try Self.rulesFolder([
            "a.yaml": slo.replacingOccurrences(of: "GROUP", with: "route")
        ])
        #expect(performing: { try configuration.alertRules() }, throws: { "\($0)".contains("aggregation.dimensions") })

        configuration.alerts?.rules = try Self.rulesFolder([
            "q.yaml": "kind: slo\nname: q\nobjective: 99\nsli: {quality: {}}\n"
        ])
        // The quality SLI reads dl_quality_samples: refused only while nothing is sampled.
        #expect(performing: { try configuration.alertRules() }, throws: { "\($0)".contains("quality:") })
        configuration.quality = PipelineConfiguration.QualitySettings()
        #expect(try configuration.alertRules().map(\.name) == ["q"])
        configuration.quality = nil

        configuration.alerts?.rules = try Self.rulesFolder(["b.yaml": "kind: slo\nname: b\n"])
        #expect(performing: { try configuration.alertRules() }, throws: { "\($0)".contains("b.yaml:") })
    }
}
