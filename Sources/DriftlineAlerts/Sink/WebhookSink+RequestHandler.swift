import NIOCore
import NIOHTTP1

extension WebhookSink {
    /// Reads one request at a time (NIO's server pipeline orders pipelined requests), keeps at most the body
    /// limit of its body, and writes the state's answer.
    final class RequestHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let core: Core
        private let maximumBodyBytes: Int
        private var head: HTTPRequestHead?
        private var body: [UInt8] = []
        private var bodyTooLarge = false

        init(core: Core, maximumBodyBytes: Int) {
            self.core = core
            self.maximumBodyBytes = maximumBodyBytes
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = []
                let declared = head.headers.first(name: "content-length").flatMap { Int($0) }
                bodyTooLarge = declared.map { $0 > maximumBodyBytes } ?? false
            case .body(let buffer):
                guard !bodyTooLarge else { return }
                if body.count + buffer.readableBytes > maximumBodyBytes {
                    bodyTooLarge = true
                    body = []
                } else {
                    body += buffer.readableBytesView
                }
            case .end:
                guard let head else { return }
                self.head = nil
                let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first
                let request = WebhookSinkRequest(
                    method: head.method.rawValue, path: path.map(String.init) ?? "/",
                    headers: Dictionary(head.headers.map { ($0.name, $0.value) }) { _, last in last }, body: body,
                    bodyTooLarge: bodyTooLarge)
                body = []
                respond(
                    context: context, version: head.version, response: core.handle(request),
                    close: !head.isKeepAlive || bodyTooLarge)
            }
        }

        private func respond(
            context: ChannelHandlerContext, version: HTTPVersion, response: WebhookSinkState.Response, close: Bool
        ) {
            let bytes = Array(response.body.utf8)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            headers.add(name: "Content-Length", value: String(bytes.count))
            for (name, value) in response.headers.sorted(by: { $0.key < $1.key }) {
                headers.add(name: name, value: value)
            }
            if close { headers.add(name: "Connection", value: "close") }
            let head = HTTPResponseHead(
                version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
            let written = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
            if close {
                let channel = context.channel
                written.futureResult.whenComplete { _ in channel.close(promise: nil) }
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
