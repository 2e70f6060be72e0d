import ArgumentParser
import DriftlineAlerts
import DriftlinePipeline
import Foundation

/// `driftline alerts test RECEIVER`: sends one test notification to a configured receiver,
/// signed like the real ones, and reports the answer — to check a URL and a secret before an
/// incident does.
struct AlertsTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Send a test notification to a receiver of alerts.receivers.")

    @Argument(help: "The receiver's name in alerts.receivers.")
    var receiver: String

    @Option(help: "Pipeline configuration (YAML) with the alerts.receivers section.")
    var config = "pipelines/default.yaml"

    func run() async throws {
        let name = receiver
        try await CommandFailure.reporting {
            let configuration = try PipelineConfiguration.load(file: config)
            guard let settings = configuration.alerts else {
                throw ConfigurationError(file: config, key: "alerts", "alerting is off")
            }
            let routes = try settings.routes()
            guard let route = routes.first(where: { $0.receiver.name == name }) else {
                let known = routes.map(\.receiver.name)
                throw ConfigurationError(
                    file: config, key: "alerts.receivers",
                    "no receiver named \(name)"
                        + (known.isEmpty ? "; none is configured" : "; configured: \(known.joined(separator: ", "))"))
            }
            let now = Date()
            let labels = ["alertname": "DriftlineTest", "severity": "test"]
            let notification = AlertNotification(
                fingerprint: AlertFingerprint(rule: "driftline-test", labels: labels), status: .firing, labels: labels,
                annotations: ["summary": "Test notification from driftline alerts test"], startsAt: now, endsAt: nil,
                sourceFile: "")
            let payload = WebhookPayload(
                receiver: name, groupLabels: ["alertname": "DriftlineTest"], notifications: [notification],
                externalURL: settings.externalURL)
            let body = try payload.encoded()
            let key = "test-\(Int64(now.timeIntervalSince1970 * 1000))"
            let headers = route.receiver.headers(body: body, idempotencyKey: key, at: now)
            let started = ContinuousClock.now
            let result: Result<WebhookResponse, any Error>
            do {
                result = .success(
                    try await Deadline.run(route.receiver.timeout) {
                        try await HTTPWebhookTransport().post(
                            url: route.receiver.url, headers: headers, body: body, timeout: route.receiver.timeout)
                    })
            } catch {
                result = .failure(error)
            }
            let elapsed = ContinuousClock.now - started
            let signed = route.receiver.secret == nil ? "unsigned" : "signed"
            switch DeliveryDecision.decide(result, now: Date()) {
            case .delivered:
                print("\(name): delivered (\(signed), \(elapsed.formatted(.units(allowed: [.milliseconds]))))")
            case .reject(let reason), .retry(_, let reason):
                FileHandle.standardError.write(
                    Data("error: \(name) at \(route.receiver.url): \(reason) (\(signed))\n".utf8))
                throw ExitCode(CommandFailure.unavailable)
            }
        }
    }
}
