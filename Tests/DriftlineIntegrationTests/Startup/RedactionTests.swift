import DriftlineStore
import Foundation
import Testing

@testable import DriftlinePipeline

/// Every place a database URL can be printed hides its password: the URL's own description,
/// the parse error of a malformed URL, the configuration errors of `postgres.url` and
/// `DATABASE_URL`, a connection failure, and the start-up countdown (checked through the
/// executable in `StartupFailureTests`).
@Suite("Redaction")
struct RedactionTests {
    static let secret = "hunter2"

    @Test(arguments: [
        ("postgres://postgres:hunter2@db:5432/x", "postgres://postgres:***@db:5432/x"),
        ("postgres://postgres:hunter2@db:notaport/x", "postgres://postgres:***@db:notaport/x"),
        ("mysql://root:hunter2@db/x", "mysql://root:***@db/x"),
        ("postgres://u:hun/ter?2@db/x", "postgres://u:***@db/x"),
        ("postgres://u:p@ss:hunter2@db/x", "postgres://u:***@db/x"),
        ("u:hunter2@db", "u:***@db"),
        (
            "postgres://db/x?user=u&password=hunter2&sslmode=disable",
            "postgres://db/x?user=u&password=***&sslmode=disable"
        ),
        ("host=db user=u password=hunter2 dbname=x", "host=db user=u password=*** dbname=x"),
        ("postgres://u@db/x", "postgres://u@db/x"),
        ("not a url at all", "not a url at all"),
    ])
    func redactedHidesThePasswordOfAnyText(text: String, expected: String) {
        #expect(DatabaseURL.redacted(text) == expected)
    }

    @Test func theDescriptionOfAParsedURLHidesThePassword() throws {
        let url = try DatabaseURL(parsing: "postgres://u:\(Self.secret)@db:5433/x?sslmode=require")
        #expect(url.description == "postgres://u:***@db:5433/x?sslmode=require")
        let fromQuery = try DatabaseURL(parsing: "postgres://u@db/x?password=\(Self.secret)")
        #expect(fromQuery.password == Self.secret)
        #expect(!fromQuery.description.contains(Self.secret))
    }

    @Test(arguments: [
        "postgres://u:hunter2@db:notaport/x", "mysql://u:hunter2@db/x", "postgres://u:hunter2@db/x?sslmode=maybe",
        "://u:hunter2@",
    ])
    func aParseErrorHidesThePassword(text: String) {
        #expect(throws: StoreError.self) { try DatabaseURL(parsing: text) }
        do {
            _ = try DatabaseURL(parsing: text)
        } catch {
            #expect(!"\(error)".contains(Self.secret), "\(error)")
        }
    }

    @Test func aBadURLFromTheEnvironmentNamesTheVariableNotTheFile() throws {
        var configuration = try PipelineConfiguration.parse(
            yaml: "postgres:\n  url: postgres://a@b/c\n", file: "p.yaml")
        try configuration.applyEnvironment(["DATABASE_URL": "postgres://u:\(Self.secret)@db:x/d"])
        do {
            try configuration.validate(file: "p.yaml")
            Issue.record("expected an error")
        } catch let error as ConfigurationError {
            #expect(error.variable == "DATABASE_URL")
            #expect(
                error.description
                    == "environment variable DATABASE_URL (for postgres.url): expected "
                    + "postgres://user:password@host:port/database, got 'postgres://u:***@db:x/d'")
        }
        #expect(throws: ConfigurationError.self) { try configuration.databaseURL() }
        do {
            _ = try configuration.databaseURL()
        } catch {
            #expect("\(error)".hasPrefix("environment variable DATABASE_URL"), "\(error)")
            #expect(!"\(error)".contains(Self.secret), "\(error)")
        }
    }

    @Test func aBadURLInTheFileNamesTheFileAndKey() throws {
        let configuration = try PipelineConfiguration.parse(
            yaml: "postgres:\n  url: postgres://u:\(Self.secret)@db:x/d\n", file: "p.yaml")
        do {
            try configuration.validate(file: "p.yaml")
            Issue.record("expected an error")
        } catch let error as ConfigurationError {
            #expect(error.variable == nil)
            #expect(
                error.description
                    == "p.yaml: postgres.url: expected postgres://user:password@host:port/database, got 'postgres://u:***@db:x/d'"
            )
        }
    }

    @Test func aConnectionFailureNamesTheServerAndSourceButNotThePassword() {
        let url = DatabaseURL(host: "db", port: 5433, username: "u", password: Self.secret, database: "x")
        let failure = ConnectionFailure(
            CancellationError(), url: url, timeout: .seconds(3), source: "DATABASE_URL")
        #expect(
            failure.description
                == "cannot connect to PostgreSQL at db:5433 (database x, user u, from DATABASE_URL): cancelled")
        // A cause that quotes a URL (a DNS error naming the host, say) is redacted too.
        let quoting = ConnectionFailure(
            kind: .transient, address: url.address, database: url.database, username: url.username,
            cause: DatabaseURL.redacted("cannot resolve postgres://u:\(Self.secret)@db"))
        #expect(!quoting.description.contains(Self.secret))
    }

    @Test func aSecretKafkaValueIsNotEchoedByLibrdkafkasError() throws {
        var configuration = PipelineConfiguration()
        configuration.kafka.properties = [
            "sasl.password": "env:DRIFTLINE_SECRET", "sasl.mechanisms": "NOPE-\(Self.secret)",
        ]
        // librdkafka accepts any sasl.password; the mechanism is not a secret and is quoted as it is.
        do {
            try configuration.checkWithoutDatabase(environment: ["DRIFTLINE_SECRET": Self.secret])
        } catch let error as ConfigurationError {
            #expect(error.key == "kafka.properties.sasl.mechanisms", "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(PipelineConfiguration.isSecret("sasl.password"))
        #expect(PipelineConfiguration.isSecret("ssl.key.password"))
        #expect(!PipelineConfiguration.isSecret("sasl.mechanisms"))
    }
}
