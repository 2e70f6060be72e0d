import Foundation
import Logging
public import PostgresNIO

/// A fresh, empty database in the test PostgreSQL server, dropped again by `withTestDatabase`.
///
/// The server's location comes from the environment, as in postgres-nio's own integration
/// tests: `POSTGRES_HOSTNAME`, `POSTGRES_PORT`, `POSTGRES_USER`, `POSTGRES_PASSWORD`,
/// `POSTGRES_DB` (the database to connect to for `CREATE DATABASE`), with loopback
/// defaults. `scripts/test-postgres.sh start DIR` starts such a server and prints them.
public struct TestDatabase: Sendable {
    public let host: String
    public let port: Int
    public let username: String
    public let password: String?
    public let database: String

    /// Client configuration for this database (no TLS: the test server is on loopback).
    public var clientConfiguration: PostgresClient.Configuration {
        PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: .disable)
    }

    /// A libpq-style URL, the form `DATABASE_URL` takes.
    public var url: String {
        let credentials = password.map { "\(username):\($0)" } ?? username
        return "postgres://\(credentials)@\(host):\(port)/\(database)?sslmode=disable"
    }

    public static let environment = ProcessInfo.processInfo.environment

    static var adminConfiguration: PostgresConnection.Configuration {
        let env = environment
        return PostgresConnection.Configuration(
            host: env["POSTGRES_HOSTNAME"] ?? "127.0.0.1",
            port: env["POSTGRES_PORT"].flatMap(Int.init) ?? 5432,
            username: env["POSTGRES_USER"] ?? "postgres",
            password: env["POSTGRES_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 },
            database: env["POSTGRES_DB"] ?? "postgres",
            tls: .disable
        )
    }

    static func withAdminConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let logger = TestLogging.logger("driftline.test-database")
        let connection = try await PostgresConnection.connect(
            configuration: adminConfiguration, id: 1, logger: logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Creates a uniquely named database.
    public static func create(prefix: String = "driftline_test") async throws -> TestDatabase {
        TestLogging.bootstrap()
        let name = "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
        try await withAdminConnection { connection in
            _ = try await connection.query(
                PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: connection.logger)
        }
        let admin = adminConfiguration
        return TestDatabase(
            host: admin.host ?? "127.0.0.1", port: admin.port ?? 5432, username: admin.username,
            password: admin.password, database: name)
    }

    /// Drops the database, ending any session still connected to it.
    public func drop() async throws {
        try await Self.withAdminConnection { connection in
            _ = try await connection.query(
                PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(database) WITH (FORCE)"), logger: connection.logger)
        }
    }
}

/// Runs `body` with a fresh database and drops it afterwards, also when `body` throws.
public func withTestDatabase<T>(
    prefix: String = "driftline_test", _ body: (TestDatabase) async throws -> T
) async throws -> T {
    let database = try await TestDatabase.create(prefix: prefix)
    do {
        let result = try await body(database)
        try? await database.drop()
        return result
    } catch {
        try? await database.drop()
        throw error
    }
}

/// Runs `body` with a `PostgresClient` for a fresh database; the client runs for the duration of `body`.
public func withTestClient<T: Sendable>(
    prefix: String = "driftline_test", _ body: @Sendable (PostgresClient, TestDatabase) async throws -> T
) async throws -> T {
    try await withTestDatabase(prefix: prefix) { database in
        let client = PostgresClient(configuration: database.clientConfiguration)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client, database)
        }
    }
}
