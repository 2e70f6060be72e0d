/// `waitUntil` gave up: what it waited for and how long.
public struct WaitTimeout: Error, CustomStringConvertible {
    public let description: String
}

/// Polls `condition` every `interval` until it holds; after `timeout` prints the log lines held
/// back (see `TestLogging`) and throws `WaitTimeout`, so that no test can hang.
public func waitUntil(
    _ what: String,
    timeout: Duration = .seconds(60),
    pollingEvery interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while !(try await condition()) {
        if ContinuousClock.now > deadline {
            let failure = WaitTimeout(description: "timed out after \(timeout) waiting until \(what)")
            TestLogging.printRecent(failure.description)
            throw failure
        }
        try await Task.sleep(for: interval)
    }
}
