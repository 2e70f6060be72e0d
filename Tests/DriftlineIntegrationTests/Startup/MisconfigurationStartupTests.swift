import Foundation
import Testing

/// `driftline run` with each misconfiguration of issue 10 item 9: it exits 78 (EX_CONFIG)
/// before connecting to anything, with one line that names the file, the place and what was
/// expected.
@Suite("Start-up misconfigurations", .serialized)
struct MisconfigurationStartupTests {
    static func expectRunFails(
        config: String, environment: [String: String] = [:], message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let run = try DriftlineProcess(["run", "--config", config], environment: environment)
        let exit = try #require(
            await run.waitForExit(within: StartupFailureTests.bound), "still running: \(run.output)",
            sourceLocation: sourceLocation)
        #expect(exit.status == 78, "\(run.output)", sourceLocation: sourceLocation)
        #expect(run.errorLine == "error: " + message, "\(run.output)", sourceLocation: sourceLocation)
        #expect(
            run.output.split(separator: "\n").count == 1, "one line, nothing else: \(run.output)",
            sourceLocation: sourceLocation)
        print("misconfiguration reported after \(exit.elapsed): \(message.prefix(90))")
    }

    static func file(_ text: String) throws -> String {
        try CostCommandTests.temporaryFile("pipeline.yaml", text)
    }

    @Test func aYAMLSyntaxErrorGivesTheLineAndColumn() async throws {
        let config = try Self.file("kafka:\n  brokers: [a:1, b:2\npostgres:\n  url: x\n")
        try await Self.expectRunFails(
            config: config,
            message:
                "\(config): line 3, column 9: not valid YAML: did not find expected ',' or ']' "
                + "(while parsing a flow sequence, line 2, column 12)")
    }

    @Test func aTabIndentSaysSo() async throws {
        let config = try Self.file("kafka:\n\tbrokers: a:1\n")
        try await Self.expectRunFails(
            config: config,
            message:
                "\(config): line 2, column 1: not valid YAML: found character that cannot start any token "
                + "(while scanning for the next token, line 2, column 1); YAML indents with spaces, not tabs")
    }

    @Test func aDuplicateKeyIsNamedWithItsLine() async throws {
        let config = try Self.file("aggregation:\n  window_seconds: 60\n  window_seconds: 30\n")
        try await Self.expectRunFails(
            config: config, message: "\(config): line 2, column 3: \"window_seconds\" appears twice in the same mapping"
        )
    }

    @Test func aNonIntegerWindowSaysWhatItGot() async throws {
        let config = try Self.file("aggregation:\n  window_seconds: \"abc\"\n")
        try await Self.expectRunFails(
            config: config,
            message: "\(config): aggregation.window_seconds: expected an integer number of seconds, got \"abc\"")
    }

    @Test func anUnknownDimensionListsTheValidOnes() async throws {
        let config = try Self.file("aggregation:\n  dimensions: [model, colour]\n")
        try await Self.expectRunFails(
            config: config,
            message:
                "\(config): aggregation.dimensions[1]: unknown dimension \"colour\"; expected one of: model, provider, "
                + "app, route, tenant, user, team, environment, model_version (other attributes are split by through labels)"
        )
    }

    @Test(arguments: ["", "# only a comment\n", "\n\n   \n", "# one\n# two\n---\n"])
    func anEmptyOrCommentOnlyFileIsRefusedTheSameWay(text: String) async throws {
        let config = try Self.file(text)
        try await Self.expectRunFails(
            config: config,
            message:
                "\(config): holds no settings (the file is empty or has only comments); write the sections to change, "
                + "e.g. `kafka:` or `postgres:`, or start from pipelines/default.yaml")
    }

    @Test func aDirectoryIsNotAConfigurationFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("driftline-dir-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try await Self.expectRunFails(
            config: directory,
            message: "\(directory): is a directory; expected a YAML file such as pipelines/default.yaml")
    }

    @Test func aMissingFileIsNamed() async throws {
        let path = "/nonexistent/driftline-\(UUID()).yaml"
        try await Self.expectRunFails(config: path, message: "\(path): no such file")
    }

    /// The URL came from the environment: the message names DATABASE_URL, not the file's
    /// postgres.url, and hides the password even though the URL cannot be parsed.
    @Test func aBadDatabaseURLFromTheEnvironmentIsBlamedOnItWithoutItsPassword() async throws {
        try await Self.expectRunFails(
            config: "pipelines/default.yaml",
            environment: ["DATABASE_URL": "postgres://postgres:hunter2@db:notaport/driftline"],
            message:
                "environment variable DATABASE_URL (for postgres.url): expected postgres://user:password@host:port/database, "
                + "got 'postgres://postgres:***@db:notaport/driftline'")
    }

    @Test func aBadDatabaseURLInTheFileIsBlamedOnTheFile() async throws {
        let config = try Self.file("postgres:\n  url: mysql://root:hunter2@db/x\n")
        try await Self.expectRunFails(
            config: config,
            message:
                "\(config): postgres.url: expected postgres://user:password@host:port/database, got 'mysql://root:***@db/x'"
        )
    }

    /// A librdkafka property that does not exist is caught before connecting to anything.
    @Test func anUnknownKafkaPropertyIsCaughtBeforeConnecting() async throws {
        let config = try Self.file("kafka:\n  properties: {fetch.max.bites: '1'}\n")
        try await Self.expectRunFails(
            config: config,
            environment: ["DATABASE_URL": "postgres://postgres@127.0.0.1:1/none"],
            message:
                "kafka.properties.fetch.max.bites: librdkafka: No such configuration property: \"fetch.max.bites\"")
    }

    @Test func anEnvReferenceThatIsNotSetIsCaughtBeforeConnecting() async throws {
        let config = try Self.file("kafka:\n  properties: {sasl.password: 'env:DRIFTLINE_TEST_UNSET_VARIABLE'}\n")
        try await Self.expectRunFails(
            config: config,
            environment: ["DATABASE_URL": "postgres://postgres@127.0.0.1:1/none"],
            message: "kafka.properties.sasl.password: environment variable DRIFTLINE_TEST_UNSET_VARIABLE is not set")
    }
}
