public import DriftlineStore
public import Logging

/// `driftline run`'s wait for PostgreSQL at start: a permanent failure (authentication, a
/// missing database, TLS set-up) ends it at once with the server's reason; a transient one
/// (refused, timed out, starting up) is retried with a line that counts down to the next
/// attempt and to giving up. Cancelling the task (SIGTERM, SIGINT) ends the wait at once.
public struct DatabaseStartup: Sendable {
    public var url: DatabaseURL
    /// Where the URL came from (`DATABASE_URL`, `postgres.url`), for messages.
    public var source: String
    public var connectTimeout: Duration
    /// How long transient failures are retried; zero tries once.
    public var retryFor: Duration
    /// Pause before the second attempt; it doubles up to `maximumDelay`.
    public var firstDelay: Duration = .seconds(1)
    public var maximumDelay: Duration = .seconds(5)

    public init(url: DatabaseURL, source: String, connectTimeout: Duration, retryFor: Duration) {
        self.url = url
        self.source = source
        self.connectTimeout = connectTimeout
        self.retryFor = retryFor
    }

    public init(configuration: PipelineConfiguration) throws {
        self.init(
            url: try configuration.databaseURL(), source: configuration.databaseURLSource,
            connectTimeout: configuration.postgres.connectTimeout,
            retryFor: .seconds(configuration.postgres.startupRetrySeconds))
    }

    /// Returns once a connection succeeds; throws the `ConnectionFailure` that ended the wait
    /// (with `gave up after …` added to a transient cause), or `CancellationError`.
    public func waitUntilReachable(logger: Logger) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        var delay = firstDelay
        var attempt = 1
        while true {
            do {
                try await DatabaseProbe.check(url, timeout: connectTimeout, source: source, logger: logger)
                if attempt > 1 {
                    logger.notice(
                        "PostgreSQL is reachable",
                        metadata: ["address": "\(url.address)", "attempts": "\(attempt)"])
                }
                return
            } catch {
                try Task.checkCancellation()
                let elapsed = clock.now - start
                guard error.kind == .transient else { throw error }
                let left = retryFor - elapsed
                guard left >= delay else {
                    var failure = error
                    if retryFor > .zero {
                        failure.cause +=
                            "; gave up after \(attempt == 1 ? "1 attempt" : "\(attempt) attempts") "
                            + "(postgres.startup_retry_seconds: \(retryFor.components.seconds))"
                    }
                    throw failure
                }
                let countdown =
                    "PostgreSQL at \(url.address) is not reachable: \(error.cause); retrying in "
                    + "\(ConnectionFailure.seconds(delay)) (attempt \(attempt + 1), giving up in "
                    + "\(ConnectionFailure.seconds(roundedUp(left))))"
                logger.warning("\(countdown)")
                try await Task.sleep(for: delay)
                delay = min(delay * 2, maximumDelay)
                attempt += 1
            }
        }
    }

    private func roundedUp(_ duration: Duration) -> Duration {
        let (seconds, attoseconds) = duration.components
        return .seconds(attoseconds > 0 ? seconds + 1 : seconds)
    }
}
