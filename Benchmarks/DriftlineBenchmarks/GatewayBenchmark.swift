import DriftlineCore
import DriftlineDemo
import DriftlineTestSupport
import Foundation

extension Benchmarks {
    /// LiteLLM payload decoding (the committed fixtures, ~4–14 KB each), one thread, against
    /// Foundation's JSONSerialization building the same payloads as objects — the parsing
    /// approach the gateway decoders did not take.
    static func gatewayDecoding() {
        let directory = repositoryRoot.appendingPathComponent("Tests/Fixtures/Gateway")
        let names = [
            "success-openai-cached-reasoning", "streaming-success", "failure-rate-limit", "anthropic-prompt-cache",
            "gemini-thinking-cache",
            "cache-hit",
        ]
        let payloads = names.compactMap {
            try? Data(contentsOf: directory.appendingPathComponent("litellm-\($0).json"))
        }
        guard payloads.count == names.count else {
            print("gateway: fixtures not found under \(directory.path); skipped")
            return
        }
        let records = payloads.map { Array($0) }
        let bytes = records.reduce(0) { $0 + $1.count }
        let rounds = 20_000
        let decoder = LiteLLMDecoder(keepText: false)
        var failures = 0
        var tokens: Int64 = 0
        func pass(_ count: Int) {
            for _ in 0..<count {
                for record in records {
                    do {
                        tokens &+= try decoder.decode(record).tokens.input
                    } catch {
                        failures += 1
                    }
                }
            }
        }
        pass(1000)
        let start = ContinuousClock.now
        pass(rounds)
        let elapsed = (ContinuousClock.now - start).seconds
        let decoded = Double(rounds * records.count)
        print(
            String(
                format:
                    "gateway, 1 thread: LiteLLM payload decode %.0f records/s, %.0f MB/s (mean %d bytes, %d rejected)",
                decoded / elapsed, Double(rounds * bytes) / elapsed / 1e6, bytes / records.count, failures))

        var keys = 0
        let foundationRounds = 2_000
        let foundationStart = ContinuousClock.now
        for _ in 0..<foundationRounds {
            for payload in payloads {
                if let object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any] {
                    keys += object.count
                }
            }
        }
        let foundationElapsed = (ContinuousClock.now - foundationStart).seconds
        print(
            String(
                format:
                    "gateway, 1 thread: JSONSerialization on the same payloads %.0f records/s (parse only, %d keys)",
                Double(foundationRounds * payloads.count) / foundationElapsed, keys))
    }
}
