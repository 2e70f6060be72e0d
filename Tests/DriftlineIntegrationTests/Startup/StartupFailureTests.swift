import DriftlineTestSupport
import Foundation
import PostgresNIO
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `driftline run` started the way an operator starts it, against each start-up failure of
/// issue 10: the exit status, the one line it prints (never with the password), and that it
/// comes within a bound. The bounds are generous (the machine is shared); the measured times
/// are in the closing note of the change.
@Suite("Start-up failures", .serialized)
struct StartupFailureTests {
    static let bound: Duration = .seconds(15)
    static let password = "hunter2"

    static var server: (host: String, port: Int) {
        let environment = ProcessInfo.processInfo.environment
        return (environment["POSTGRES_HOSTNAME"] ?? "127.0.0.1", environment["POSTGRES_PORT"].flatMap(Int.init) ?? 5432)
    }

    /// Runs `driftline run` with the shipped configuration and `DATABASE_URL`, and expects it to
    /// fail within the bound with `status` and exactly `message`.
    static func expectRunFails(
        databaseURL: String, config: String = "pipelines/default.yaml", status: Int32, message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let run = try DriftlineProcess(
            ["run", "--config", config, "--log-level", "warning"], environment: ["DATABASE_URL": databaseURL])
        let exit = try #require(
            await run.waitForExit(within: bound), "still running after \(bound): \(run.output)",
            sourceLocation: sourceLocation)
        #expect(exit.status == status, "\(run.output)", sourceLocation: sourceLocation)
        #expect(run.errorLine == "error: " + message, "\(run.output)", sourceLocation: sourceLocation)
        #expect(
            !run.output.contains(password), "the password was printed: \(run.output)", sourceLocation: sourceLocation)
        print("start-up failure after \(exit.elapsed): \(message.prefix(90))")
    }

    @Test func aWrongPasswordFailsAtOnceWithTheServersReason() async throws {
        try await withTestClient { client, _ in
            try await client.query(
                """
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'driftline_password_test') THEN
                    CREATE ROLE driftline_password_test LOGIN PASSWORD 'the-right-one';
                  END IF;
                END $$
                """)
            let rules = try await client.query(
                "SELECT count(*)::int8 FROM pg_hba_file_rules WHERE 'driftline_password_test' = ANY(user_name)"
            ).collect().first?.decode(Int64.self)
            try #require(
                rules == 1,
                "the test server trusts every role; start it with scripts/test-postgres.sh, which asks driftline_password_test for its password"
            )
        }
        let (host, port) = Self.server
        try await Self.expectRunFails(
            databaseURL: "postgres://driftline_password_test:\(Self.password)@\(host):\(port)/postgres?sslmode=disable",
            status: 78,
            message:
                "cannot connect to PostgreSQL at \(host):\(port) (database postgres, user driftline_password_test, from DATABASE_URL): "
                + "password authentication failed for user \"driftline_password_test\" (SQLSTATE 28P01); "
                + "check the password in the URL or in postgres.password_file")
    }

    @Test func aMissingDatabaseFailsAtOnceWithTheServersReason() async throws {
        let (host, port) = Self.server
        try await Self.expectRunFails(
            databaseURL: "postgres://postgres:\(Self.password)@\(host):\(port)/driftline_no_such_db?sslmode=disable",
            status: 78,
            message:
                "cannot connect to PostgreSQL at \(host):\(port) (database driftline_no_such_db, user postgres, from DATABASE_URL): "
                + "database \"driftline_no_such_db\" does not exist (SQLSTATE 3D000); "
                + "create it (createdb driftline_no_such_db) or correct the database in the URL")
    }

    @Test func anUnreachableServerIsRetriedWithACountdownThenGivenUp() async throws {
        let port = try closedLoopbackPort()
        let config = try CostCommandTests.temporaryFile(
            "pipeline.yaml", "postgres:\n  startup_retry_seconds: 2\n")
        let run = try DriftlineProcess(
            ["run", "--config", config, "--log-level", "warning"],
            environment: ["DATABASE_URL": "postgres://postgres:\(Self.password)@127.0.0.1:\(port)/driftline"])
        let exit = try #require(await run.waitForExit(within: Self.bound), "still running: \(run.output)")
        #expect(exit.status == 69, "\(run.output)")
        #expect(
            run.output.contains(
                "PostgreSQL at 127.0.0.1:\(port) is not reachable: connection refused; retrying in 1 s (attempt 2, giving up in 2 s)"
            ), "\(run.output)")
        #expect(
            run.errorLine
                == "error: cannot connect to PostgreSQL at 127.0.0.1:\(port) (database driftline, user postgres, "
                + "from DATABASE_URL): connection refused; gave up after 2 attempts (postgres.startup_retry_seconds: 2)",
            "\(run.output)")
        #expect(!run.output.contains(Self.password), "\(run.output)")
        print("unreachable, 2 s of retries: exit after \(exit.elapsed)")
    }

    @Test func withoutRetriesAnUnreachableServerFailsAtOnce() async throws {
        let port = try closedLoopbackPort()
        let config = try CostCommandTests.temporaryFile("pipeline.yaml", "postgres:\n  startup_retry_seconds: 0\n")
        try await Self.expectRunFails(
            databaseURL: "postgres://postgres:\(Self.password)@127.0.0.1:\(port)/driftline", config: config, status: 69,
            message:
                "cannot connect to PostgreSQL at 127.0.0.1:\(port) (database driftline, user postgres, from DATABASE_URL): "
                + "connection refused")
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalDuringTheCountdownEndsTheProcessAtOnce(signal: Int32) async throws {
        let port = try closedLoopbackPort()
        let run = try DriftlineProcess(
            ["run", "--config", "pipelines/default.yaml", "--log-level", "warning"],
            environment: ["DATABASE_URL": "postgres://postgres@127.0.0.1:\(port)/driftline"])
        #expect(await run.waitForOutput(containing: "retrying in", within: Self.bound), "\(run.output)")
        let sent = ContinuousClock.now
        run.signal(signal)
        let exit = try #require(await run.waitForExit(within: .seconds(5)), "ignored the signal: \(run.output)")
        #expect(exit.status == 128 + signal, "\(run.output)")
        let name = signal == SIGTERM ? "SIGTERM" : "SIGINT"
        #expect(
            run.errorLine == "error: \(name) while waiting for PostgreSQL at 127.0.0.1:\(port); nothing was started",
            "\(run.output)")
        print("\(name) during the countdown: exit after \(ContinuousClock.now - sent)")
    }

    @Test func pricesCheckAgainstAnUnreachableServerNamesTheAddress() async throws {
        let port = try closedLoopbackPort()
        let run = try DriftlineProcess(
            ["prices", "check", "--catalogue", "pipelines/prices-local.yaml"],
            environment: ["DATABASE_URL": "postgres://postgres:\(Self.password)@127.0.0.1:\(port)/driftline"])
        let exit = try #require(await run.waitForExit(within: Self.bound), "still running: \(run.output)")
        #expect(exit.status == 69, "\(run.output)")
        #expect(
            run.errorLine
                == "error: cannot connect to PostgreSQL at 127.0.0.1:\(port) (database driftline, user postgres, "
                + "from DATABASE_URL): connection refused",
            "\(run.output)")
        #expect(!run.output.contains(Self.password), "\(run.output)")
    }

    /// A server that accepts the TCP connection and never answers: the connect timeout ends
    /// the wait (it hung forever before).
    @Test func pricesCheckAgainstASilentServerTimesOut() async throws {
        let silent = try ListeningSocket()
        let run = try DriftlineProcess(
            ["prices", "check", "--catalogue", "pipelines/prices-local.yaml"],
            environment: [
                "DATABASE_URL": "postgres://postgres@127.0.0.1:\(silent.port)/driftline",
                "DATABASE_CONNECT_TIMEOUT": "1",
            ])
        let exit = try #require(await run.waitForExit(within: Self.bound), "still running: \(run.output)")
        #expect(exit.status == 69, "\(run.output)")
        #expect(
            run.errorLine
                == "error: cannot connect to PostgreSQL at 127.0.0.1:\(silent.port) (database driftline, user postgres, "
                + "from DATABASE_URL): no answer within 1 s (connect timeout)",
            "\(run.output)")
        print("silent server, 1 s connect timeout: exit after \(exit.elapsed)")
        _ = silent
    }
}
