public import Logging
import NIOCore
import PostgresNIO

/// Opens one connection to see whether PostgreSQL is there and lets us in, and closes it.
///
/// `PostgresClient`'s pool retries a failing connection in the background and tells the
/// waiting query only that its circuit breaker tripped, about a minute later; the probe gets
/// the first failure, with the server's own reason, within the connect timeout.
public enum DatabaseProbe {
    /// Connects within `timeout` (TCP, TLS and authentication together) or throws why not.
    public static func check(
        _ url: DatabaseURL, timeout: Duration, source: String? = nil, logger: Logger
    ) async throws(ConnectionFailure) {
        do {
            let connection = try await PostgresConnection.connect(
                configuration: try url.connectionConfiguration(connectTimeout: timeout), id: 0, logger: logger)
            try? await connection.close()
        } catch {
            throw ConnectionFailure(error, url: url, timeout: timeout, source: source)
        }
    }
}
