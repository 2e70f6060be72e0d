import NIOCore
import NIOHTTP1

extension HealthServer {
    /// Answers one request at a time (NIO's server pipeline orders pipelined requests); the
    /// request body, if any, is ignored.
    final class RequestHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let routes: Routes
        private var head: HTTPRequestHead?

        init(routes: Routes) { self.routes = routes }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): self.head = head
            case .body: break
            case .end:
                guard let head else { return }
                self.head = nil
                route(head, context: context)
            }
        }

        private func route(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
            let path = String(head.uri.prefix { $0 != "?" })
            guard head.method == .GET || head.method == .HEAD else {
                respond(context, head, .methodNotAllowed, "only GET is served\n", extra: [("Allow", "GET, HEAD")])
                return
            }
            switch path {
            case "/metrics":
                respond(
                    context, head, .ok, routes.registry.emitToBuffer(),
                    contentType: "text/plain; version=0.0.4; charset=utf-8")
            case "/healthz":
                respond(context, head, .ok, "ok\n")
            case "/readyz":
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                let readiness = routes.readiness
                context.eventLoop.makeFutureWithTask { await readiness() }.whenSuccess { readiness in
                    let (handler, context) = bound.value
                    handler.respond(
                        context, head, readiness.isReady ? .ok : .serviceUnavailable, "\(readiness)\n")
                }
            default:
                respond(context, head, .notFound, "not found: \(path.prefix(100)); try /metrics, /healthz or /readyz\n")
            }
        }

        private func respond(
            _ context: ChannelHandlerContext, _ request: HTTPRequestHead, _ status: HTTPResponseStatus,
            _ text: String, extra: [(String, String)] = []
        ) {
            respond(context, request, status, Array(text.utf8), contentType: "text/plain; charset=utf-8", extra: extra)
        }

        private func respond(
            _ context: ChannelHandlerContext, _ request: HTTPRequestHead, _ status: HTTPResponseStatus,
            _ bytes: [UInt8], contentType: String, extra: [(String, String)] = []
        ) {
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: contentType)
            headers.add(name: "Content-Length", value: String(bytes.count))
            headers.add(name: "Cache-Control", value: "no-store")
            for (name, value) in extra { headers.add(name: name, value: value) }
            let close = !request.isKeepAlive
            if close { headers.add(name: "Connection", value: "close") }
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))),
                promise: nil)
            if request.method != .HEAD {
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
            }
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
