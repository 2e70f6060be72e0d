import ArgumentParser
import Dispatch
import DriftlineDemo
import DriftlineModel
import DriftlinePipeline

#if canImport(Glibc)
    import Glibc
#endif

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "End to end on embedded defaults: an in-process Kafka mock cluster, DATABASE_URL or a throwaway local Postgres, generated traffic with a latency incident; prints per-model figures read back from Postgres."
    )

    @Option(name: .long, help: "How long to generate traffic.")
    var seconds: Double = 60
    @Option(name: .long, help: "Records per second.")
    var rate: Double = 2000
    @Option(name: .long, help: "Partitions of the demo topic.")
    var partitions: Int32 = 8

    func run() async throws {
        var demo = Demo(seconds: seconds, rate: rate, partitions: partitions)
        // Grounded responses are scored by the shipped reference model when it is installed.
        demo.faithfulnessScorer = PipelineConfiguration.QualitySettings.ScorerSettings.reference.factory
        let task = Task { try await demo.run() }
        // Ctrl-C cancels the demo, which then stops its pipeline and its throwaway PostgreSQL.
        let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { task.cancel() }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        print(try await task.value)
    }
}
