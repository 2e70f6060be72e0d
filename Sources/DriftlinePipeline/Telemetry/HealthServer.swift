import NIOCore
import NIOHTTP1
import NIOPosix
public import Prometheus
import Synchronization

/// The HTTP endpoint of `driftline run` (NIO's HTTP/1.1 server pipeline on the shared event
/// loop group): `GET /metrics` in Prometheus' text format, `GET /healthz` (the process and its
/// event loop answer: always 200) and `GET /readyz` (200 when ``Readiness/ready(_:)``, else 503
/// with the one-line reason). Nothing else is served.
public final class HealthServer: Sendable {
    /// The bound address; the port is the ephemeral one when port 0 was asked for.
    public let host: String
    public let port: Int
    private let channel: any Channel
    private let connections: Connections

    /// `http://host:port`, without a path.
    public var url: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    private init(channel: any Channel, connections: Connections, host: String, port: Int) {
        self.channel = channel
        self.connections = connections
        self.host = channel.localAddress?.ipAddress ?? host
        self.port = channel.localAddress?.port ?? port
    }

    /// Listens on `host:port`; fails with an error that names the address when it cannot.
    public static func start(
        host: String, port: Int, registry: PrometheusCollectorRegistry,
        readiness: @escaping @Sendable () async -> Readiness
    ) async throws -> HealthServer {
        let connections = Connections()
        let routes = Routes(registry: registry, readiness: readiness)
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RequestHandler(routes: routes))
                    connections.track(channel)
                }
            }
        do {
            let channel = try await bootstrap.bind(host: host, port: port).get()
            return HealthServer(channel: channel, connections: connections, host: host, port: port)
        } catch {
            throw HealthServerError(address: "\(host):\(port)", cause: "\(error)")
        }
    }

    /// Stops listening and closes open connections.
    public func stop() async {
        try? await channel.close()
        await connections.closeAll()
    }

    struct Routes: Sendable {
        let registry: PrometheusCollectorRegistry
        let readiness: @Sendable () async -> Readiness
    }

    final class Connections: Sendable {
        private let open = Mutex<[ObjectIdentifier: any Channel]>([:])

        func track(_ channel: any Channel) {
            let id = ObjectIdentifier(channel)
            open.withLock { $0[id] = channel }
            channel.closeFuture.whenComplete { [weak self] _ in
                self?.open.withLock { _ = $0.removeValue(forKey: id) }
            }
        }

        func closeAll() async {
            for channel in open.withLock({ Array($0.values) }) { try? await channel.close() }
        }
    }
}

/// The metrics endpoint could not listen (the port is taken, the address is not this host's).
public struct HealthServerError: Error, CustomStringConvertible {
    public var address: String
    public var cause: String

    public var description: String {
        "cannot listen for /metrics, /healthz and /readyz on \(address) (metrics.host, metrics.port): \(cause)"
    }
}
