import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Hears SIGINT and SIGTERM from the moment it is made until the process ends, so that no moment
/// between start-up and the `ServiceGroup` taking over misses a signal or dies of its default
/// action. On Linux libdispatch installs its own handler with the first signal source and keeps
/// it: neither SIG_IGN (the kernel then discards the signal) nor SIG_DFL (it replaces that
/// handler, so later sources hear nothing) may be set here, as swift-service-lifecycle does not.
// @unchecked: `sources` is written once in `init` and only kept alive, never used after.
final class SignalRelay: @unchecked Sendable {
    let signals: AsyncStream<Int32>
    private let sources: [any DispatchSourceSignal]

    init(_ numbers: [Int32] = [SIGINT, SIGTERM]) {
        let (stream, continuation) = AsyncStream<Int32>.makeStream(bufferingPolicy: .bufferingNewest(4))
        signals = stream
        sources = numbers.map { number in
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
    }
}
