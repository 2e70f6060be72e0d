import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

extension ConnectionFailure {
    /// Reads what PostgresNIO threw while connecting: the server's own message and SQLSTATE
    /// when it answered, the system's reason when it did not.
    public init(_ error: any Error, url: DatabaseURL, timeout: Duration, source: String? = nil) {
        let (kind, cause) = Self.classify(error, url: url, timeout: timeout)
        self.init(
            kind: kind, address: url.address, database: url.database, username: url.username,
            cause: DatabaseURL.redacted(cause), source: source)
    }

    /// SQLSTATEs a server sends at connection time that clear by themselves: starting up or
    /// shutting down (57P03, 57P01), too many connections (53300), out of memory or disk
    /// (53xxx), connection exceptions (08xxx). Anything else the server says at start — an
    /// authentication failure (28xxx), a missing database (3D000) — needs a change of settings.
    static func isTransient(sqlState: String) -> Bool {
        sqlState.hasPrefix("08") || sqlState.hasPrefix("53") || sqlState.hasPrefix("57P")
    }

    static func classify(_ error: any Error, url: DatabaseURL, timeout: Duration) -> (Kind, String) {
        if let error = error as? PSQLError {
            switch error.code {
            case .server:
                let state = error.serverInfo?[.sqlState] ?? ""
                let message = error.serverInfo?[.message] ?? "the server refused the connection"
                let hint = Self.hint(sqlState: state, url: url)
                return (
                    isTransient(sqlState: state) ? .transient : .permanent,
                    "\(message) (SQLSTATE \(state))\(hint.map { "; \($0)" } ?? "")"
                )
            case .sslUnsupported:
                return (
                    .permanent,
                    "the server does not accept TLS, which sslmode=\(url.sslMode) requires; "
                        + "use sslmode=disable or prefer, or enable ssl on the server"
                )
            case .authMechanismRequiresPassword:
                return (
                    .permanent,
                    "the server asks for a password and none is set; put it in the URL or in postgres.password_file"
                )
            case .unsupportedAuthMechanism:
                return (.permanent, "the server asks for an authentication method PostgresNIO does not support")
            case .saslError:
                return (.permanent, "SCRAM authentication failed: \(describe(error.underlying, timeout: timeout))")
            case .failedToAddSSLHandler:
                return (.permanent, "cannot set up TLS: \(describe(error.underlying, timeout: timeout))")
            case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
                return Self.classifyTransport(error.underlying, timeout: timeout)
            default:
                return (.transient, String(reflecting: error.code))
            }
        }
        return Self.classifyTransport(error, timeout: timeout)
    }

    /// A failure below PostgreSQL's protocol: the network, DNS or TLS.
    static func classifyTransport(_ error: (any Error)?, timeout: Duration) -> (Kind, String) {
        if let error = error as? NIOSSLError {
            return (.permanent, "TLS handshake failed: \(error)")
        }
        if let error = error as? BoringSSLError {
            return (.permanent, "TLS handshake failed: \(error)")
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                return (.transient, "cannot resolve host \(error.host)")
            }
        }
        return (.transient, describe(error, timeout: timeout))
    }

    static func describe(_ error: (any Error)?, timeout: Duration) -> String {
        switch error {
        case nil:
            return "the connection closed"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode)).lowercased()
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return describe(first.error, timeout: timeout) }
            return "cannot resolve host \(error.host)"
        case let error as ChannelError:
            if case .connectTimeout = error { return "no answer within \(Self.seconds(timeout)) (connect timeout)" }
            return "\(error)"
        case is CancellationError:
            return "cancelled"
        case let error?:
            return String(describing: error)
        }
    }

    public static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds) s" }
        return String(format: "%.1f s", Double(seconds) + Double(attoseconds) / 1e18)
    }

    private static func hint(sqlState: String, url: DatabaseURL) -> String? {
        switch sqlState {
        case "28P01": "check the password in the URL or in postgres.password_file"
        case "3D000": "create it (createdb \(url.database)) or correct the database in the URL"
        default: nil
        }
    }
}
