public import Logging
public import PostgresNIO
import Synchronization

/// The connection the ingest loop's store calls use (flushes, probes, stored offsets and
/// analyser state), kept apart from `PostgresClient`'s pool.
///
/// The pool backs off between failed connection attempts, up to a minute, and a query waits
/// for its next attempt: after a long outage, a recovered server would sit unused for as long.
/// Ingest has its own back-off and probing (the state machine's), so here a call connects at
/// once when no connection is kept, and a connection that saw any failure is closed rather
/// than reused. Calls are serial in practice; one made while the kept connection is in use
/// opens another, which is closed after.
public final class IngestConnection: Sendable {
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private let kept = Mutex<PostgresConnection?>(nil)
    private let nextID = Atomic<Int>(1)

    public init(configuration: PostgresConnection.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs `body` on the kept connection, or on a new one.
    public func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection: PostgresConnection
        if let reused = kept.withLock({ current -> PostgresConnection? in
            defer { current = nil }
            return current
        }), !reused.isClosed {
            connection = reused
        } else {
            connection = try await PostgresConnection.connect(
                configuration: configuration, id: nextID.add(1, ordering: .relaxed).oldValue, logger: logger)
        }
        let result: T
        do {
            result = try await body(connection)
        } catch {
            try? await connection.close()
            throw error
        }
        let spare = kept.withLock { current -> PostgresConnection? in
            guard current == nil else { return connection }
            current = connection
            return nil
        }
        if let spare { try? await spare.close() }
        return result
    }

    /// Closes the kept connection, if any.
    public func close() async {
        let connection = kept.withLock { current -> PostgresConnection? in
            defer { current = nil }
            return current
        }
        try? await connection?.close()
    }
}
