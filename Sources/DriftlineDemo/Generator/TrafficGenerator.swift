import DriftlineCore
import DriftlineStats

/// Generates realistic LLM request logs in Driftline's native JSON format: several models and
/// providers with log-normal latencies and token counts, tenants, apps and environments,
/// errors of several kinds, cached and reasoning tokens, ~1 KB of prompt/response text, and a
/// switch to inject a latency incident on one model.
///
/// Every record comes with the values it encodes (`GeneratedRequest`), so tests can compute the
/// ground truth without going through Driftline's decoder.
public struct TrafficGenerator: Sendable {
    public struct ModelProfile: Sendable {
        public var model: String
        public var provider: String
        public var weight: Double
        public var ttftMedianMilliseconds: Double
        public var tpotMedianMilliseconds: Double
        public var inputTokensMedian: Double
        public var outputTokensMedian: Double
        public var errorRate: Double
        /// Share of input tokens served from the provider's prompt cache, when cached.
        public var cacheShare: Double
        /// Reasoning tokens as a share of output tokens (reasoning models).
        public var reasoningShare: Double
    }

    /// A latency incident: TTFT and TPOT of `model` multiplied by `factor`, errors by `errorFactor`.
    public struct Incident: Sendable, Equatable {
        public var model: String
        public var factor: Double
        public var errorFactor: Double
        public init(model: String, factor: Double = 5, errorFactor: Double = 3) {
            self.model = model
            self.factor = factor
            self.errorFactor = errorFactor
        }
    }

    public static let defaultModels: [ModelProfile] = [
        .init(
            model: "gpt-4o", provider: "openai", weight: 30, ttftMedianMilliseconds: 450, tpotMedianMilliseconds: 18,
            inputTokensMedian: 900, outputTokensMedian: 250, errorRate: 0.010, cacheShare: 0.5, reasoningShare: 0),
        .init(
            model: "gpt-4o-mini", provider: "openai", weight: 25, ttftMedianMilliseconds: 280,
            tpotMedianMilliseconds: 8,
            inputTokensMedian: 600, outputTokensMedian: 180, errorRate: 0.006, cacheShare: 0.5, reasoningShare: 0),
        .init(
            model: "o3-mini", provider: "openai", weight: 5, ttftMedianMilliseconds: 2200, tpotMedianMilliseconds: 12,
            inputTokensMedian: 1200, outputTokensMedian: 900, errorRate: 0.015, cacheShare: 0.3, reasoningShare: 0.6),
        .init(
            model: "claude-sonnet-4", provider: "anthropic", weight: 20, ttftMedianMilliseconds: 700,
            tpotMedianMilliseconds: 22, inputTokensMedian: 1500, outputTokensMedian: 320, errorRate: 0.012,
            cacheShare: 0.7, reasoningShare: 0),
        .init(
            model: "gemini-2.5-flash", provider: "google", weight: 12, ttftMedianMilliseconds: 380,
            tpotMedianMilliseconds: 6, inputTokensMedian: 800, outputTokensMedian: 220, errorRate: 0.008,
            cacheShare: 0.2, reasoningShare: 0.3),
        .init(
            model: "llama-3.1-70b", provider: "vllm", weight: 8, ttftMedianMilliseconds: 180,
            tpotMedianMilliseconds: 28, inputTokensMedian: 500, outputTokensMedian: 200, errorRate: 0.02,
            cacheShare: 0, reasoningShare: 0),
    ]

    static let tenants = ["acme", "globex", "initech", "umbrella", "hooli", "stark"]
    static let tenantWeights: [Double] = [30, 22, 18, 12, 10, 8]
    static let apps = [
        ("chat", "/v1/chat"), ("search", "/v1/answer"), ("support-bot", "/v1/support"), ("summarizer", "/v1/summarize"),
    ]
    static let teams = ["core", "growth", "support", "data"]
    static let errorKinds: [(type: String, status: Int, weight: Double)] = [
        ("rate_limit", 429, 45), ("timeout", 504, 25), ("server_error", 500, 20), ("content_filter", 400, 10),
    ]
    static let words = """
        the model answered with a summary of the quarterly report and listed the open risks for the platform team \
        while the retrieval step returned three documents about latency budgets caching and token costs across \
        tenants so the assistant explained how to reduce prompt size reuse cached context and route short questions \
        to a smaller model without hurting answer quality for customers in production
        """.split(separator: " ").map(String.init)

    public var models: [ModelProfile]
    public var incident: Incident?
    /// Share of records written malformed on purpose (the demo shows them in the dead letters).
    public var malformedRate: Double
    /// Approximate bytes of prompt + response text per record.
    public var textBytes: Int
    /// Embedding vectors clustered by topic on every record, when set (nil: none).
    public var topics: TopicSpace?
    /// A topic and output-length drift of one model, when set.
    public var driftShift: DriftShift?
    private var random: SplitMix64
    private let modelWeights: [Double]
    private var sequence: UInt64 = 0

    public init(
        seed: UInt64 = 42, models: [ModelProfile] = defaultModels, incident: Incident? = nil,
        malformedRate: Double = 0, textBytes: Int = 560
    ) {
        self.models = models
        self.incident = incident
        self.malformedRate = malformedRate
        self.textBytes = textBytes
        self.random = SplitMix64(seed: seed)
        self.modelWeights = models.map(\.weight)
    }

    /// The values of one generated request; `json` is nil for a deliberately malformed record.
    public struct GeneratedRequest: Sendable {
        public var requestID: String
        public var model: String
        public var provider: String
        public var tenant: String
        public var app: String
        public var route: String
        public var team: String
        public var environment: String
        public var startMicroseconds: Int64
        public var firstTokenMicroseconds: Int64?
        public var endMicroseconds: Int64
        public var inputTokens: Int64
        public var outputTokens: Int64
        public var cachedInputTokens: Int64
        public var cacheWriteTokens: Int64
        public var reasoningTokens: Int64
        public var isError: Bool
        public var errorType: String?
        public var httpStatus: Int
        /// The Kafka key: model and tenant, so one model-tenant stream stays on one partition.
        public var key: String
        public var malformed: Bool
        /// The request's embedding, when the generator has a topic space.
        public var embedding: [Float]? = nil

        public var ttftMilliseconds: Double? {
            firstTokenMicroseconds.map { Double($0 - startMicroseconds) / 1000 }
        }
        public var tpotMilliseconds: Double? {
            guard let first = firstTokenMicroseconds, outputTokens > 1 else { return nil }
            return Double(endMicroseconds - first) / 1000 / Double(outputTokens - 1)
        }
        public var latencyMilliseconds: Double { Double(endMicroseconds - startMicroseconds) / 1000 }
    }

    /// Generates one request that started at `startMicroseconds` and appends its record to `json`.
    public mutating func next(startMicroseconds: Int64, into json: inout [UInt8]) -> GeneratedRequest {
        sequence += 1
        let profile = models[random.weightedIndex(modelWeights)]
        let slow = incident.map { $0.model == profile.model } ?? false
        let factor = slow ? incident!.factor : 1
        let tenant = Self.tenants[random.weightedIndex(Self.tenantWeights)]
        let appIndex = Int(random.next() % UInt64(Self.apps.count))
        let (app, route) = Self.apps[appIndex]
        let team = Self.teams[Int(random.next() % UInt64(Self.teams.count))]
        let environment = random.chance(0.85) ? "prod" : "staging"
        let errorRate = min(1, profile.errorRate * (slow ? incident!.errorFactor : 1))
        let isError = random.chance(errorRate)

        let input = max(1, Int64(random.logNormal(median: profile.inputTokensMedian, sigma: 0.6)))
        let shifted = driftShift.map { $0.model == profile.model } ?? false
        let outputMedian = profile.outputTokensMedian * (shifted ? driftShift!.outputFactor : 1)
        var output = isError ? 0 : max(1, Int64(random.logNormal(median: outputMedian, sigma: 0.7)))
        let cached = profile.cacheShare > 0 && random.chance(0.4) ? Int64(Double(input) * profile.cacheShare) : 0
        let cacheWrite = profile.provider == "anthropic" && cached == 0 && random.chance(0.2) ? input / 2 : 0
        let reasoning = Int64(Double(output) * profile.reasoningShare)
        let streamed = !isError && random.chance(0.85)

        let ttftMicros = Int64(random.logNormal(median: profile.ttftMedianMilliseconds * factor, sigma: 0.45) * 1000)
        let tpotMicros = random.logNormal(median: profile.tpotMedianMilliseconds * factor, sigma: 0.3) * 1000
        var firstToken: Int64? = nil
        let end: Int64
        var errorKind: (type: String, status: Int, weight: Double)? = nil
        if isError {
            errorKind = Self.errorKinds[random.weightedIndex(Self.errorKinds.map(\.weight))]
            end =
                startMicroseconds + max(1000, ttftMicros / (errorKind!.type == "timeout" ? 1 : 3))
                + (errorKind!.type == "timeout" ? 30_000_000 : 0)
            output = 0
        } else {
            let first = startMicroseconds + max(1000, ttftMicros)
            end = first + Int64(tpotMicros * Double(max(output - 1, 0)))
            if streamed { firstToken = first }
        }

        var request = GeneratedRequest(
            requestID: "req-\(String(random.next(), radix: 36))-\(sequence)", model: profile.model,
            provider: profile.provider, tenant: tenant, app: app, route: route, team: team,
            environment: environment, startMicroseconds: startMicroseconds, firstTokenMicroseconds: firstToken,
            endMicroseconds: end, inputTokens: input, outputTokens: output, cachedInputTokens: cached,
            cacheWriteTokens: cacheWrite, reasoningTokens: reasoning, isError: isError, errorType: errorKind?.type,
            httpStatus: errorKind?.status ?? 200, key: "\(profile.model)/\(tenant)",
            malformed: malformedRate > 0 && random.chance(malformedRate))
        if topics != nil {
            let topic = shifted ? driftShift!.topic : topics!.topic(app: appIndex)
            request.embedding = topics!.vector(topic: topic)
        }
        encode(request, into: &json)
        return request
    }

    /// Appends the request's record: the native request log as `NativeJSONEncoder` writes it.
    private mutating func encode(_ request: GeneratedRequest, into out: inout [UInt8]) {
        // Half the records carry RFC 3339 timestamps and half epoch milliseconds: both are valid.
        let encoder = sequence % 2 == 0 ? Self.rfc3339Encoder : Self.epochMillisecondsEncoder
        var event = request.event
        if request.malformed {
            // A record cut short, as a crashed writer or a truncating proxy leaves it.
            let record = encoder.encode(event)
            out.append(contentsOf: record.prefix(record.count / 2))
            return
        }
        event.dimensions.user = "user-\(random.next() % 500)"
        event.dimensions.labels = ["region": "eu-west-1"]
        event.prompt = words(textBytes * 2 / 5)
        event.response = words(textBytes * 3 / 5)
        event.embedding = request.embedding
        encoder.encode(event, appendingTo: &out)
    }

    private static let rfc3339Encoder = NativeJSONEncoder(timestampFormat: .rfc3339)
    private static let epochMillisecondsEncoder = NativeJSONEncoder(timestampFormat: .epochMilliseconds)

    /// About `bytes` bytes of words separated by spaces.
    private mutating func words(_ bytes: Int) -> String {
        var text = ""
        text.reserveCapacity(bytes + 16)
        while text.utf8.count < bytes {
            if !text.isEmpty { text.append(" ") }
            text.append(Self.words[Int(random.next() % UInt64(Self.words.count))])
        }
        return text
    }
}
