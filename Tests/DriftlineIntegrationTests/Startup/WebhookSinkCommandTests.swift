import DriftlineAlerts
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `driftline webhook-sink` run as a demo script runs it: the address on the first line, one line per request,
/// and a clean exit after `--exit-after` notifications or on SIGTERM. Needs the built executable only.
@Suite("webhook-sink command")
struct WebhookSinkCommandTests {
    static let bound: Duration = .seconds(30)
    static let prefix = "webhook-sink listening on http://127.0.0.1:"

    /// The sink's URL, read from its first line.
    static func url(of run: DriftlineProcess) async throws -> String {
        try #require(await run.waitForOutput(containing: "\n", within: bound), "no first line: \(run.output)")
        let first = String(run.output.prefix { $0 != "\n" })
        try #require(first.hasPrefix(prefix), "first line: \(first)")
        return String(first.dropFirst("webhook-sink listening on ".count).prefix { $0 != " " })
    }

    static func body() throws -> [UInt8] {
        let labels = ["alertname": "chat-ttft", "severity": "page", "burn_tier": "page-1h", "model": "gpt-4o"]
        let notification = AlertNotification(
            fingerprint: AlertFingerprint(rule: "chat-ttft:page-1h", labels: labels), status: .firing,
            labels: labels, annotations: ["summary": "burning fast"], startsAt: Date(), endsAt: nil,
            sourceFile: "alerts/chat-ttft.yaml")
        return try WebhookPayload(
            receiver: "oncall", groupLabels: [:], notifications: [notification], externalURL: "http://x"
        ).encoded()
    }

    @Test func refusesAnUnsignedCallTakesASignedOneAndStopsAfterIt() async throws {
        let run = try DriftlineProcess(
            ["webhook-sink", "--port", "0", "--secret-env", "SINK_SECRET", "--exit-after", "1"],
            environment: ["SINK_SECRET": "s3cret"])
        let url = try await Self.url(of: run)
        #expect(run.output.hasPrefix(Self.prefix) && run.output.contains("(signatures required)"))
        let body = try Self.body()
        let transport = HTTPWebhookTransport()
        let unsigned = try await transport.post(
            url: url, headers: [("Idempotency-Key", "1")], body: body, timeout: .seconds(10))
        #expect(unsigned.status == 401)
        let headers = [("Idempotency-Key", "1")] + WebhookSigner(secret: "s3cret").headers(body: body, at: Date())
        let signed = try await transport.post(url: url, headers: headers, body: body, timeout: .seconds(10))
        #expect(signed.status == 200)
        let exit = try #require(await run.waitForExit(within: Self.bound), "still running: \(run.output)")
        #expect(exit.status == 0, "\(run.output)")
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(run.output)")
        #expect(lines.dropFirst().first?.hasSuffix("rejected 401 key=1: no X-Driftline-Timestamp header") == true)
        #expect(
            lines.dropFirst(2).first?.hasSuffix(
                "firing oncall key=1 signed: chat-ttft severity=page burn_tier=page-1h {model=gpt-4o} \"burning fast\"")
                == true, "\(run.output)")
        #expect(lines.last == "webhook-sink stopped (--exit-after 1): 1 notifications accepted")
        #expect(!run.output.contains("s3cret"))
    }

    @Test func sigtermStopsItCleanly() async throws {
        let run = try DriftlineProcess(["webhook-sink", "--port", "0"])
        _ = try await Self.url(of: run)
        run.signal(SIGTERM)
        let exit = try #require(await run.waitForExit(within: Self.bound), "still running: \(run.output)")
        #expect(exit.status == 0, "\(run.output)")
        #expect(run.output.hasSuffix("webhook-sink stopped (SIGTERM): 0 notifications accepted\n"))
    }

    @Test func aSecretVariableThatIsNotSetIsAConfigurationError() async throws {
        let run = try DriftlineProcess(["webhook-sink", "--port", "0", "--secret-env", "DRIFTLINE_NO_SUCH_SECRET"])
        let exit = try #require(await run.waitForExit(within: Self.bound), "still running: \(run.output)")
        #expect(exit.status == 78, "\(run.output)")
        #expect(
            run.errorLine
                == "error: environment variable DRIFTLINE_NO_SUCH_SECRET (for --secret-env): is not set or empty")
    }
}
