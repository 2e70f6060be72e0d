import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT or SIGTERM arrived while a command waited (for PostgreSQL at start-up).
struct Interrupted: Error, CustomStringConvertible {
    var signal: Int32
    var during: String

    var description: String {
        "\(signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)") while \(during); "
            + "nothing was started"
    }

    /// Runs `body` in a task that SIGINT and SIGTERM cancel, and throws `Interrupted` when one
    /// did. The signals stay ignored afterwards (libdispatch keeps its handler): a `SignalRelay`
    /// made before hears them until a `ServiceGroup` takes over.
    static func onSignals<T: Sendable>(
        during: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let task = Task { try await body() }
        let received = ReceivedSignal()
        let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler {
                received.set(number)
                task.cancel()
            }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        do {
            let value = try await task.value
            // A signal that came as the task finished is not lost.
            if let number = received.value { throw Interrupted(signal: number, during: during) }
            return value
        } catch let error as Interrupted {
            throw error
        } catch {
            if let number = received.value { throw Interrupted(signal: number, during: during) }
            throw error
        }
    }
}

private final class ReceivedSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var number: Int32?

    func set(_ value: Int32) {
        lock.lock()
        number = value
        lock.unlock()
    }

    var value: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return number
    }
}
