import Foundation
public import Logging
import Synchronization

/// Logging for tests: quiet when they pass, informative when they do not.
///
/// `bootstrap()` installs, once per test process, a handler that holds every line from `.info` up
/// back in a ring of the most recent ones and prints only `.critical` as it happens. Passing tests
/// log plenty that is expected (librdkafka's connection errors against closed mock clusters,
/// retried flushes, fenced members), so warnings and errors are held back too. `waitUntil` prints
/// the ring when it times out, which is how an integration test that goes wrong usually fails.
/// `DRIFTLINE_TEST_LOG=debug` (or any `Logger.Level`: `trace`, `info`, `warning`, …) prints every
/// line from that level on as it happens instead, for a test that fails otherwise.
public enum TestLogging {
    /// Lines kept for `printRecent`.
    static let capacity = 1000

    /// The level `DRIFTLINE_TEST_LOG` asks for, if any.
    static let verboseLevel: Logger.Level? = ProcessInfo.processInfo.environment["DRIFTLINE_TEST_LOG"]
        .flatMap { Logger.Level(rawValue: $0.lowercased()) }

    static let recent = Mutex(RecentLines(capacity: capacity))

    private static let installed: Void = {
        LoggingSystem.bootstrap { label in
            if let level = verboseLevel {
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            return TestLogHandler(label: label)
        }
    }()

    /// Installs the test log handler; later calls do nothing. Loggers made before the first call
    /// keep the default handler, so helpers that make loggers call this first.
    public static func bootstrap() {
        _ = installed
    }

    /// A logger with the test handler.
    public static func logger(_ label: String = "driftline.test") -> Logger {
        bootstrap()
        return Logger(label: label)
    }

    /// Prints the lines held back, oldest first, under `reason`, and forgets them.
    public static func printRecent(_ reason: String) {
        let lines = recent.withLock { $0.removeAll() }
        guard !lines.isEmpty else { return }
        var text = "--- \(reason): the last \(lines.count) log lines held back ---\n"
        for line in lines { text += line + "\n" }
        text += "--- end of held-back log lines ---\n"
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// The most recent log lines, oldest dropped first.
struct RecentLines: Sendable {
    let capacity: Int
    private var lines: [String] = []
    private var next = 0

    init(capacity: Int) {
        self.capacity = capacity
        lines.reserveCapacity(capacity)
    }

    mutating func append(_ line: String) {
        if lines.count < capacity {
            lines.append(line)
        } else {
            lines[next] = line
        }
        next = (next + 1) % capacity
    }

    mutating func removeAll() -> [String] {
        let ordered = lines.count < capacity ? lines : Array(lines[next...] + lines[..<next])
        lines.removeAll(keepingCapacity: true)
        next = 0
        return ordered
    }
}

/// Prints `.critical` to standard error as it happens; keeps the rest in `TestLogging.recent`.
struct TestLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let details = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        let line = "\(Date()) \(event.level) \(label): \(event.message)\(details)"
        if event.level >= .critical {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        } else {
            TestLogging.recent.withLock { $0.append(line) }
        }
    }
}
