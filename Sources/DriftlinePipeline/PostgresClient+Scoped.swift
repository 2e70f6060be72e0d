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
        // `body` starts once the child task runs: `run()` marks the client running before its
        // first suspension, so the signal, sent just before that call, keeps PostgresNIO's
        // "run() hasn't been called yet" warning (a lease that raced the child task) away.
        let (started, signal) = AsyncStream<Void>.makeStream()
        group.addTask {
            signal.finish()
            await client.run()
        }
        defer { group.cancelAll() }
        for await _ in started {}
        return try await body(client)
    }
}
