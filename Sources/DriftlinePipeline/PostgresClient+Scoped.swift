public import DriftlineStore
public import Logging
public import PostgresNIO

/// Runs `body` with a running `PostgresClient` for `url`, and shuts the client down afterwards.
public func withPostgresClient<T: Sendable>(
    url: DatabaseURL, maximumConnections: Int = 4, connectTimeout: Duration = .seconds(10), logger: Logger,
    _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    let client = PostgresClient(
        configuration: try url.clientConfiguration(
            maximumConnections: maximumConnections, connectTimeout: connectTimeout),
        backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(client)
    }
}
