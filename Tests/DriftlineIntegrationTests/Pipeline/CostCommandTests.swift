import DriftlineCore
import DriftlineStore
import DriftlineTestSupport
import Foundation
import Logging
import Testing

@testable import DriftlinePipeline

/// `driftline prices import`, `driftline prices check` and `driftline cost report`, run as the
/// built executable against a real PostgreSQL, with expected figures worked out by hand.
@Suite("Cost commands", .serialized)
struct CostCommandTests {
    struct Run {
        var status: Int32
        var output: String
    }

    /// Runs the `driftline` executable built next to the tests, standard error folded into the output.
    static func driftline(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CrashRecoveryTests.driftlineExecutable)
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    static func temporaryFile(_ name: String, _ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "driftline-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func importWritesACatalogueThatPricesLikeTheSourceFile() throws {
        // Two LiteLLM entries: per-token prices as LiteLLM writes them, and a model without them.
        let json = try Self.temporaryFile(
            "prices.json",
            """
            {"sample_spec": {"input_cost_per_token": 0},
             "gpt-test": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2.5e-06,
                          "output_cost_per_token": 1e-05, "cache_read_input_token_cost": 1.25e-06},
             "dall-e-test": {"litellm_provider": "openai", "mode": "image_generation", "input_cost_per_pixel": 1e-08},
             "claude-test": {"litellm_provider": "anthropic", "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05}}
            """)
        let run = try Self.driftline(["prices", "import", json, "--providers", "openai"])
        #expect(run.status == 0, "\(run.output)")
        let yaml = run.output.split(separator: "\n").filter { !$0.hasPrefix("imported ") }.joined(separator: "\n")
        let catalogue = try PriceCatalogue.parse(yaml: yaml)
        #expect(catalogue.histories.count == 1, "only openai's per-token entry: \(yaml)")
        // 1 M input tokens of which 400 k cached, 100 k output: 0.6 × 2.5 + 0.4 × 1.25 + 0.1 × 10 = 3 USD.
        var costs = PricedCosts(
            catalogue: catalogue, dimensions: WindowGrouping(windowSeconds: 60, dimensions: [.model], labels: []))
        let start = EventTime(secondsSinceEpoch: 1_764_547_200)
        costs.add(
            LLMEvent(
                start: start, end: start, model: "gpt-test", provider: "openai",
                tokens: TokenCounts(input: 1_000_000, output: 100_000, cachedInput: 400_000)))
        #expect(costs.costs.values.first?.cost == (try Money(decimal: "3")))
        #expect(run.output.contains("imported 1 entries"))
    }

    @Test func checkAndReportReadWhatThePipelineStored() async throws {
        try await withTestClient { client, database in
            let logger = TestLogging.logger("test")
            try await Migrator().migrate(client: client, logger: logger)
            let catalogue = try Self.temporaryFile(
                "prices.yaml",
                """
                prices:
                  - {provider: openai, model: gpt-test, input: 2.5, output: 10}
                """)
            var costs = PricedCosts(
                catalogue: try PriceCatalogue.load(file: catalogue),
                dimensions: WindowGrouping(windowSeconds: 60, dimensions: [.model, .provider, .team], labels: []))
            let hourAgo = EventTime(secondsSinceEpoch: Int64(Date().timeIntervalSince1970) - 3600)
            func event(_ model: String, team: String, input: Int64, output: Int64) -> LLMEvent {
                LLMEvent(
                    start: hourAgo, end: hourAgo, model: model, provider: "openai",
                    dimensions: EventDimensions(team: team),
                    tokens: TokenCounts(input: input, output: output))
            }
            // core: 2 × (400 k × 2.5 + 50 k × 10) / 1 M = 2 × 1.5 = 3 USD; search: one priced
            // request of 0.25 USD and three of a model without a price.
            costs.add(event("gpt-test", team: "core", input: 400_000, output: 50_000))
            costs.add(event("gpt-test", team: "core", input: 400_000, output: 50_000))
            costs.add(event("gpt-test", team: "search", input: 100_000, output: 0))
            for _ in 0..<3 { costs.add(event("mystery-model", team: "search", input: 10, output: 5)) }
            let store = AggregateStore(client: client, logger: logger)
            #expect(try await store.write(FlushBatch(consumerGroup: "cli", costs: costs.take())) == .committed)

            let environment = ["DATABASE_URL": database.url]
            let report = try Self.driftline(
                ["cost", "report", "--by", "team", "--since", "7d"], environment: environment)
            #expect(report.status == 0, "\(report.output)")
            let lines = report.output.split(separator: "\n").map {
                $0.split(separator: " ", omittingEmptySubsequences: true)
            }
            let core = try #require(lines.first { $0.first == "core" }, "\(report.output)")
            #expect(core.dropFirst().first == "3", "\(report.output)")
            let search = try #require(lines.first { $0.first == "search" }, "\(report.output)")
            #expect(Array(search.dropFirst().prefix(4)) == ["0.25", "4", "3", "45"], "\(report.output)")

            let check = try Self.driftline(["prices", "check", "--catalogue", catalogue], environment: environment)
            #expect(check.status == 2, "unpriced models make the check fail: \(check.output)")
            #expect(
                check.output.contains("mystery-model: 3 requests, 30 input + 15 output tokens unpriced"),
                "\(check.output)")
            #expect(!check.output.contains("gpt-test:"), "\(check.output)")

            let offline = try Self.driftline(["prices", "check", "--catalogue", catalogue, "--offline"])
            #expect(offline.status == 0, "\(offline.output)")
            #expect(offline.output.contains("1 patterns, 1 entries: valid"), "\(offline.output)")
        }
    }
}
