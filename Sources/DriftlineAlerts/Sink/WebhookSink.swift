public import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A small HTTP receiver for Alertmanager-v4 webhook notifications, as `driftline webhook-sink` runs it and as the
/// delivery tests use it: checks ``WebhookSigner`` signatures, drops redeliveries by `Idempotency-Key`, can fail
/// on purpose, and records what it accepted. The decisions are ``WebhookSinkState``'s; this type does the I/O
/// (NIO's HTTP/1.1 server pipeline on the shared event loop group) and reports each request on ``events``.
public final class WebhookSink: Sendable {
    public let configuration: WebhookSinkConfiguration
    /// The bound address; the port is the ephemeral one when the configuration asked for port 0.
    public let host: String
    public let port: Int
    /// One event per request other than health checks, in the order they were judged. Buffered until read; ends
    /// when the sink stops.
    public let events: AsyncStream<WebhookSinkEvent>

    private let core: Core
    private let channel: any Channel

    /// `http://host:port/`, the URL to give a sender (any path is served).
    public var url: String {
        "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/"
    }

    /// Notifications accepted and recorded so far, duplicates not counted.
    public var acceptedCount: Int { core.state.withLock { $0.acceptedCount } }

    private init(
        configuration: WebhookSinkConfiguration, core: Core, channel: any Channel, events: AsyncStream<WebhookSinkEvent>
    ) {
        self.configuration = configuration
        self.core = core
        self.channel = channel
        self.events = events
        self.host = channel.localAddress?.ipAddress ?? configuration.host
        self.port = channel.localAddress?.port ?? configuration.port
    }

    /// Opens the record file, if any, and listens. `now` is the clock signatures and records are read against.
    public static func start(
        _ configuration: WebhookSinkConfiguration, now: @escaping @Sendable () -> Date = { Date() }
    ) async throws(WebhookSinkError) -> WebhookSink {
        let recorder = try configuration.recordFile.map { path throws(WebhookSinkError) in
            try WebhookSinkRecorder(path: path)
        }
        let (events, continuation) = AsyncStream<WebhookSinkEvent>.makeStream()
        let core = Core(configuration: configuration, recorder: recorder, continuation: continuation, now: now)
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        RequestHandler(core: core, maximumBodyBytes: configuration.maximumBodyBytes))
                    core.track(channel)
                }
            }
        do {
            let channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
            return WebhookSink(configuration: configuration, core: core, channel: channel, events: events)
        } catch {
            recorder?.close()
            continuation.finish()
            throw WebhookSinkError(
                code: .listen, message: "cannot listen on \(configuration.host):\(configuration.port)",
                underlying: "\(error)")
        }
    }

    /// Stops listening, closes open connections and the record file, and ends ``events``.
    public func stop() async {
        try? await channel.close()
        await core.closeConnections()
        core.recorder?.close()
        core.continuation.finish()
    }

    /// Runs `body` with a started sink and always stops it.
    public static func with<T>(
        _ configuration: WebhookSinkConfiguration, now: @escaping @Sendable () -> Date = { Date() },
        _ body: (WebhookSink) async throws -> T
    ) async throws -> T {
        let sink = try await start(configuration, now: now)
        do {
            let result = try await body(sink)
            await sink.stop()
            return result
        } catch {
            await sink.stop()
            throw error
        }
    }

    /// What every connection shares: the state under one lock, the record file and the event stream.
    final class Core: Sendable {
        let state: Mutex<WebhookSinkState>
        let recorder: WebhookSinkRecorder?
        let continuation: AsyncStream<WebhookSinkEvent>.Continuation
        private let now: @Sendable () -> Date
        private let connections = Mutex<[ObjectIdentifier: any Channel]>([:])

        init(
            configuration: WebhookSinkConfiguration, recorder: WebhookSinkRecorder?,
            continuation: AsyncStream<WebhookSinkEvent>.Continuation, now: @escaping @Sendable () -> Date
        ) {
            self.state = Mutex(WebhookSinkState(configuration: configuration))
            self.recorder = recorder
            self.continuation = continuation
            self.now = now
        }

        /// Judges one request. Recording happens under the lock (a short append to a local file) so that a
        /// redelivery racing its original on another connection is still seen as a duplicate.
        func handle(_ request: WebhookSinkRequest) -> WebhookSinkState.Response {
            state.withLock { state in
                let response: WebhookSinkState.Response
                switch state.receive(request, at: now()) {
                case .respond(let immediate):
                    response = immediate
                case .record(let notification):
                    do {
                        try recorder?.append(notification)
                        response = state.recorded(notification)
                    } catch {
                        response = state.recordFailed(notification, reason: "\(error)")
                    }
                }
                if let event = response.event { continuation.yield(event) }
                return response
            }
        }

        func track(_ channel: any Channel) {
            let id = ObjectIdentifier(channel)
            connections.withLock { $0[id] = channel }
            channel.closeFuture.whenComplete { [weak self] _ in
                self?.connections.withLock { _ = $0.removeValue(forKey: id) }
            }
        }

        func closeConnections() async {
            let open = connections.withLock { Array($0.values) }
            for channel in open {
                try? await channel.close()
            }
        }
    }
}
