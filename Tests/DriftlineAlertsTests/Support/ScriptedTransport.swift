import DriftlineAlerts
import Foundation
import Synchronization

/// A receiver that answers from a script (statuses or refused connections), then 200, recording what it got.
final class ScriptedTransport: WebhookTransport, Sendable {
    enum Answer: Sendable {
        case status(Int)
        case refuse
    }

    struct Refused: Error {}
    let script: Mutex<[Answer]>
    let received: Mutex<[(id: String, body: [UInt8], headers: [String: String])]> = Mutex([])

    init(_ script: [Answer]) { self.script = Mutex(script) }

    func post(
        url: String, headers: [(name: String, value: String)], body: [UInt8], timeout: Duration
    ) async throws -> WebhookResponse {
        let next = script.withLock { $0.isEmpty ? Answer.status(200) : $0.removeFirst() }
        guard case .status(let status) = next else { throw Refused() }
        let fields = Dictionary(headers.map { ($0.name, $0.value) }) { _, last in last }
        received.withLock { $0.append((fields["Idempotency-Key"] ?? "", body, fields)) }
        return WebhookResponse(status: status, retryAfter: status == 429 ? "7" : nil)
    }
}
