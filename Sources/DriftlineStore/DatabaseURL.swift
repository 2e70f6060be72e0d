import Foundation
import NIOCore
import NIOSSL
public import PostgresNIO

/// Where the store's database is, parsed from a libpq-style URL
/// (`postgres://user:password@host:port/database?sslmode=disable`), the form `DATABASE_URL` takes.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// libpq's modes, read as PostgresNIO can honour them: `disable` and `allow` connect
    /// without TLS; `prefer` (the default, as in libpq) tries TLS and falls back to plain;
    /// `require`, `verify-ca` and `verify-full` insist on TLS and verify the server's
    /// certificate and name (PostgresNIO always verifies when it uses TLS, so `require` is as
    /// strict as `verify-full`, which is stricter than libpq's `require`).
    public var sslMode: String

    public static let loopbackDefault = "postgres://driftline@127.0.0.1:5432/driftline?sslmode=disable"
    public static let sslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    public init(
        host: String = "127.0.0.1", port: Int = 5432, username: String = "driftline", password: String? = nil,
        database: String = "driftline", sslMode: String = "disable"
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.sslMode = sslMode
    }

    public init(parsing text: String) throws {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql"
        else {
            throw StoreError(
                .invalidDatabaseURL,
                "expected postgres://user:password@host:port/database, got '\(Self.redacted(text))'")
        }
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        port = components.port ?? 5432
        username = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        password = components.password.flatMap { $0.removingPercentEncoding }
        if let query = components.queryItems?.first(where: { $0.name == "password" })?.value { password = query }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? username : path
        sslMode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
        guard Self.sslModes.contains(sslMode) else {
            throw StoreError(
                .invalidDatabaseURL,
                "sslmode must be one of \(Self.sslModes.joined(separator: ", ")), got '\(sslMode)'")
        }
    }

    /// The URL with the password hidden, for logs and errors.
    public var description: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)?sslmode=\(sslMode)"
    }

    /// `host:port`, as connection errors name the server.
    public var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// `text` with any password replaced by `***`: the one in the user-info part
    /// (`user:secret@host`) and a `password=` parameter (`?password=secret`, libpq's key=value
    /// form). Works on text that is not a valid URL too, since that is when it is printed.
    public static func redacted(_ text: String) -> String {
        var rest = Substring(redactingUserInfo(text))
        var out = ""
        while let marker = rest.range(of: "password=", options: .caseInsensitive) {
            out += rest[..<marker.upperBound] + "***"
            rest = rest[marker.upperBound...].drop { $0 != "&" && $0 != " " && $0 != "#" }
        }
        return out + rest
    }

    /// Hides what follows the first `:` of the user info, the part before the last `@` of the
    /// authority (after `://`, up to the first `/`, `?` or `#`; with no `://`, the whole text).
    private static func redactingUserInfo(_ text: String) -> String {
        let authorityStart = text.range(of: "://")?.upperBound ?? text.startIndex
        // A password may hold '/', '?' or '#' unescaped; the authority then ends after the last '@'.
        let tail = text[authorityStart...]
        guard let at = tail.lastIndex(of: "@") else { return text }
        let userInfo = text[authorityStart..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }

    public func clientConfiguration(maximumConnections: Int = 8, connectTimeout: Duration = .seconds(10)) throws
        -> PostgresClient.Configuration
    {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: clientTLS)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = connectTimeout
        return configuration
    }

    /// One connection's configuration, as the start-up probe opens it.
    public func connectionConfiguration(connectTimeout: Duration = .seconds(10)) throws
        -> PostgresConnection.Configuration
    {
        let tls: PostgresConnection.Configuration.TLS
        switch sslMode {
        case "disable", "allow": tls = .disable
        case "prefer": tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        default: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = TimeAmount(connectTimeout)
        return configuration
    }

    private var clientTLS: PostgresClient.Configuration.TLS {
        switch sslMode {
        case "disable", "allow": .disable
        case "prefer": .prefer(.makeClientConfiguration())
        default: .require(.makeClientConfiguration())
        }
    }
}
