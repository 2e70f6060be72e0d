import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore

/// For container healthchecks: asks a running `driftline run` whether it is ready.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "GET a running driftline's /readyz: exit 0 when ready, 1 with the cause otherwise.",
        discussion: """
            Made for container healthchecks (compose.yaml uses it). Prints one line: the endpoint's answer, \
            or why it could not be asked. The address is the `metrics:` section of the pipeline configuration.
            """)

    @Option(name: .long, help: "The endpoint to GET.")
    var url: String = "http://127.0.0.1:9464/readyz"

    @Option(name: .long, help: "Seconds to wait for the answer.")
    var timeout: Double = 3

    func validate() throws {
        guard timeout > 0, timeout <= 300 else { throw ValidationError("--timeout: expected 0 < seconds ≤ 300") }
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil
        else { throw ValidationError("--url: expected an http:// URL such as http://127.0.0.1:9464/readyz") }
    }

    func run() async throws {
        let line: String
        let ready: Bool
        do {
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            let deadline = NIODeadline.now() + .milliseconds(Int64(timeout * 1000))
            let response = try await HTTPClient.shared.execute(request, deadline: deadline)
            let body = try await response.body.collect(upTo: 4096)
            let text = String(buffer: body).split(separator: "\n").first.map(String.init) ?? ""
            ready = response.status == .ok
            line = text.isEmpty ? "\(url): HTTP \(response.status.code)" : text
        } catch {
            (ready, line) = (false, "\(url): \(Self.describe(error, timeout: timeout))")
        }
        if ready {
            print(line)
        } else {
            FileHandle.standardError.write(Data("unhealthy: \(line)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// Why the endpoint could not be asked, in a few words: AsyncHTTPClient keeps retrying a
    /// refused connection until the deadline and then reports the last connection error, whose
    /// full description lists every address tried.
    static func describe(_ error: any Error, timeout: Double) -> String {
        if let error = error as? HTTPClientError,
            [.deadlineExceeded, .connectTimeout, .getConnectionFromPoolTimeout, .readTimeout].contains(error)
        {
            return "no answer within \(timeout) s"
        }
        let text = String(describing: error)
        if text.localizedCaseInsensitiveContains("connection refused") {
            return "connection refused: nothing listens there (is driftline running, with this metrics address?)"
        }
        return "cannot ask: " + String(text.prefix(300)).replacingOccurrences(of: "\n", with: " ")
    }
}
