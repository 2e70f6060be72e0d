import ArgumentParser
import DriftlineAlerts
import DriftlinePipeline
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `driftline webhook-sink`: a receiver for the webhook notifications that alerting sends, printing one line per
/// request; for demos, tests and checking a secret end to end. The server is ``WebhookSink``.
struct WebhookSinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook-sink",
        abstract: "Receive Alertmanager-v4 webhook notifications and print one line each (until SIGINT/SIGTERM).",
        discussion: """
            Any path takes a POST; GET /healthz answers "ok". The first line printed is the address listened on. \
            With a secret, unsigned, wrongly signed or stale requests are answered 401. A redelivered \
            Idempotency-Key is answered 200 and printed as a duplicate. Signatures: docs/alerts.md.
            """)

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one (the first line printed names it).")
    var port = 9095

    @Option(help: "Environment variable holding the HMAC secret; requests must then be signed.")
    var secretEnv: String?

    @Option(help: "File holding the HMAC secret (a trailing line break is ignored); requests must then be signed.")
    var secretFile: String?

    @Option(help: "Seconds a signature's timestamp may be old (or ahead) before it is refused as a replay.")
    var maxAge = 300

    @Option(help: "Append one JSON line per accepted notification to this file.")
    var record: String?

    @Option(help: "Answer 503 to the first N requests, to show the sender's retries.")
    var failFirst = 0

    @Option(help: "Largest body accepted, in bytes; larger ones are answered 413.")
    var maxBody = 1 << 20

    @Option(help: "Stop after N accepted notifications (duplicates not counted).")
    var exitAfter: Int?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port: expected 0…65535, got \(port)") }
        guard maxAge > 0 else { throw ValidationError("--max-age: expected a positive number of seconds") }
        guard failFirst >= 0 else { throw ValidationError("--fail-first: expected 0 or more") }
        guard maxBody > 0 else { throw ValidationError("--max-body: expected a positive number of bytes") }
        if let exitAfter, exitAfter < 1 { throw ValidationError("--exit-after: expected 1 or more") }
        if secretEnv != nil && secretFile != nil {
            throw ValidationError("--secret-env and --secret-file: give one secret, not both")
        }
    }

    func run() async throws {
        // Made first, so that a signal at any moment from here on stops the sink instead of killing the process.
        let relay = SignalRelay()
        try await CommandFailure.reporting {
            let configuration = WebhookSinkConfiguration(
                host: host, port: port, secret: try secret(), maximumAge: .seconds(maxAge), failFirst: failFirst,
                maximumBodyBytes: maxBody, recordFile: record)
            let sink = try await WebhookSink.start(configuration)
            let signed = configuration.secret == nil ? "" : " (signatures required)"
            Self.emit("webhook-sink listening on \(sink.url)\(signed)")
            let ending = await Self.serve(sink, until: exitAfter, relay: relay)
            await sink.stop()
            Self.emit("webhook-sink stopped (\(ending)): \(sink.acceptedCount) notifications accepted")
        }
    }

    /// Why serving ended.
    enum Ending: Sendable, CustomStringConvertible {
        case exitAfter(Int)
        case signal(Int32)
        case streamEnded

        var description: String {
            switch self {
            case .exitAfter(let count): "--exit-after \(count)"
            case .signal(let number): number == SIGINT ? "SIGINT" : number == SIGTERM ? "SIGTERM" : "signal \(number)"
            case .streamEnded: "closed"
            }
        }
    }

    /// Prints every event until `limit` notifications were accepted or a signal came.
    static func serve(_ sink: WebhookSink, until limit: Int?, relay: SignalRelay) async -> Ending {
        await withTaskGroup(of: Ending.self) { tasks in
            tasks.addTask {
                var accepted = 0
                for await event in sink.events {
                    emit(event.line)
                    if case .accepted = event {
                        accepted += 1
                        if let limit, accepted >= limit { return .exitAfter(limit) }
                    }
                }
                return .streamEnded
            }
            tasks.addTask {
                for await number in relay.signals { return .signal(number) }
                return .streamEnded
            }
            let ending = await tasks.next() ?? .streamEnded
            tasks.cancelAll()
            return ending
        }
    }

    /// The secret's bytes, read once at start and never printed.
    private func secret() throws -> [UInt8]? {
        if let secretEnv {
            guard let value = ProcessInfo.processInfo.environment[secretEnv], !value.isEmpty else {
                throw ConfigurationError(variable: secretEnv, key: "--secret-env", "is not set or empty")
            }
            return Array(value.utf8)
        }
        if let secretFile {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: secretFile))
            } catch {
                throw ConfigurationError(
                    file: secretFile, key: "--secret-file", "cannot read the secret: \(error.localizedDescription)")
            }
            var bytes = Array(data)
            while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
            guard !bytes.isEmpty else {
                throw ConfigurationError(file: secretFile, key: "--secret-file", "the file is empty")
            }
            return bytes
        }
        return nil
    }

    /// Written straight to standard output, unbuffered, so a script reading the first line (the port) or a log
    /// following the sink sees each line as it happens.
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
