import DriftlineAlerts
import Foundation
import Synchronization

/// An in-memory outbox keeping the store's promise: one due head message per receiver.
final class MemoryOutbox: OutboxStore, Sendable {
    struct Row: Sendable {
        var message: OutboxMessage
        var nextAttemptAt: Date
        var state: String  // pending, delivered, rejected
    }

    let rows: Mutex<[Row]>

    init(_ messages: [OutboxMessage]) {
        rows = Mutex(messages.map { Row(message: $0, nextAttemptAt: .distantPast, state: "pending") })
    }

    func dueMessages(at time: Date, limit: Int) async throws -> [OutboxMessage] {
        rows.withLock { rows in
            var heads: [String: Row] = [:]
            for row in rows where row.state == "pending" && heads[row.message.receiver] == nil {
                heads[row.message.receiver] = row
            }
            return heads.values.filter { $0.nextAttemptAt <= time }.map(\.message).sorted { $0.id < $1.id }
                .prefix(limit).map { $0 }
        }
    }

    func update(_ id: Int64, _ change: (inout Row) -> Void) {
        rows.withLock { rows in
            if let index = rows.firstIndex(where: { $0.message.id == id }) { change(&rows[index]) }
        }
    }

    func markDelivered(id: Int64, attempts: Int, at time: Date) async throws {
        update(id) {
            $0.state = "delivered"
            $0.message.attempts = attempts
        }
    }

    func scheduleRetry(id: Int64, attempts: Int, nextAttemptAt: Date, reason: String) async throws {
        update(id) {
            $0.message.attempts = attempts
            $0.nextAttemptAt = nextAttemptAt
        }
    }

    func markRejected(id: Int64, attempts: Int, at time: Date, reason: String) async throws {
        update(id) {
            $0.state = "rejected"
            $0.message.attempts = attempts
        }
    }

    var states: [Int64: String] {
        rows.withLock { Dictionary(uniqueKeysWithValues: $0.map { ($0.message.id, $0.state) }) }
    }
}
