import DriftlineStore
public import Logging
public import PostgresNIO

/// Runs `body` with a `PostgresClient` for the configured database once one connection has
/// succeeded within `postgres.connect_timeout_seconds`; otherwise throws the
/// `ConnectionFailure` that says where and why. What the one-shot commands (`migrate`,
/// `prices check`, `cost report`) use, so that none of them waits on an unreachable server.
public func withReachablePostgresClient<T: Sendable>(
    configuration: PipelineConfiguration, maximumConnections: Int = 4, logger: Logger,
    _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    let url = try configuration.databaseURL()
    let timeout = configuration.postgres.connectTimeout
    try await DatabaseProbe.check(url, timeout: timeout, source: configuration.databaseURLSource, logger: logger)
    return try await withPostgresClient(
        url: url, maximumConnections: maximumConnections, connectTimeout: timeout, logger: logger, body)
}
