import DriftlineAlerts
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A webhook receiver on 127.0.0.1 for delivery tests: answers 503 to the first `failures` requests, then 200,
/// and records every request's headers and body. Bound to an ephemeral port; `stop()` closes it, and a test that
/// forgets is covered by `withReceiver`.
final class LoopbackWebhookReceiver: Sendable {
    struct Request: Sendable {
        var headers: [String: String]
        var body: [UInt8]
    }

    final class State: Sendable {
        let remainingFailures: Mutex<Int>
        let requests = Mutex<[Request]>([])
        init(failures: Int) { remainingFailures = Mutex(failures) }

        func record(_ request: Request) -> HTTPResponseStatus {
            requests.withLock { $0.append(request) }
            return remainingFailures.withLock { remaining in
                guard remaining > 0 else { return .ok }
                remaining -= 1
                return .serviceUnavailable
            }
        }
    }

    final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let state: State
        var headers: [String: String] = [:]
        var body: [UInt8] = []

        init(state: State) { self.state = state }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                headers = Dictionary(head.headers.map { ($0.name, $0.value) }) { _, last in last }
                body = []
            case .body(let buffer):
                body += buffer.readableBytesView
            case .end:
                let status = state.record(Request(headers: headers, body: body))
                let head = HTTPResponseHead(version: .http1_1, status: status, headers: ["content-length": "0"])
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }

    let state: State
    let channel: any Channel

    var port: Int { channel.localAddress?.port ?? 0 }
    var url: String { "http://127.0.0.1:\(port)/hook" }
    var requests: [Request] { state.requests.withLock { $0 } }

    private init(state: State, channel: any Channel) {
        self.state = state
        self.channel = channel
    }

    static func start(failures: Int) async throws -> LoopbackWebhookReceiver {
        let state = State(failures: failures)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return LoopbackWebhookReceiver(state: state, channel: channel)
    }

    func stop() async throws {
        try await channel.close()
    }

    /// Runs `body` with a started receiver and always stops it.
    static func with<T>(
        failures: Int, _ body: (LoopbackWebhookReceiver) async throws -> T
    ) async throws -> T {
        let receiver = try await start(failures: failures)
        do {
            let result = try await body(receiver)
            try await receiver.stop()
            return result
        } catch {
            try? await receiver.stop()
            throw error
        }
    }
}
