public import DriftlineCore
import DriftlineStats

/// Generates request logs with retrieved context and a response grounded in it, for the quality
/// plane: most responses restate the context, some are unsupported — a number changed, or an
/// entity added that the context never names — at a per-model rate, so the hallucination rates
/// the scorer finds can be compared with what was generated.
public struct GroundedResponseGenerator: Sendable {
    /// How a generated response relates to its context.
    public enum Kind: String, Sendable, CaseIterable {
        case supported
        case changedNumber = "changed_number"
        case addedEntity = "added_entity"
    }

    /// Per model, the share of responses that are unsupported.
    public var unsupportedRates: [(model: String, provider: String, rate: Double)] = [
        ("gpt-4o", "openai", 0.05), ("claude-sonnet-4", "anthropic", 0.10), ("llama-3.1-70b", "vllm", 0.30),
    ]
    private var random: SplitMix64
    private var sequence = 0

    public init(seed: UInt64) { random = SplitMix64(seed: seed) }

    static let cities = ["Berlin", "Lisbon", "Toronto", "Osaka", "Nairobi", "Austin", "Oslo", "Lyon"]
    static let people = ["Maria Schmidt", "Kenji Watanabe", "Amara Okafor", "Lucas Moreau", "Priya Nair"]
    static let strangers = ["John Carter", "Elena Petrova", "Samsung", "the World Bank", "Goldman Sachs"]
    static let products = ["Atlas", "Beacon", "Cirrus", "Delta", "Ember"]

    /// One event and the kind of response it carries.
    public mutating func next(startMicroseconds: Int64) -> (event: LLMEvent, kind: Kind) {
        sequence += 1
        let profile = unsupportedRates[Int(random.next() % UInt64(unsupportedRates.count))]
        let city = pick(Self.cities)
        let person = pick(Self.people)
        let product = pick(Self.products)
        let year = 2005 + Int(random.next() % 18)
        let staff = 40 + Int(random.next() % 400)
        let price = 5 + Int(random.next() % 90)
        let context = [
            "The \(city) office opened in \(year) and employs \(staff) engineers. It is led by \(person).",
            "\(product) is the office's main product. A team licence for \(product) costs \(price) dollars per month.",
        ]
        let prompt = "Summarise what we know about the \(city) office and its product."
        var kind = Kind.supported
        if random.uniform() < profile.rate { kind = random.uniform() < 0.5 ? .changedNumber : .addedEntity }
        let response: String
        switch kind {
        case .supported:
            response =
                "The \(city) office, led by \(person), opened in \(year) and has \(staff) engineers. "
                + "Its main product is \(product), which costs \(price) dollars per month for a team."
        case .changedNumber:
            response =
                "The \(city) office, led by \(person), opened in \(year) and has \(staff + 17 + Int(random.next() % 90)) engineers. "
                + "Its main product is \(product), which costs \(price) dollars per month for a team."
        case .addedEntity:
            response =
                "The \(city) office, led by \(person), opened in \(year) and has \(staff) engineers. "
                + "Its main product is \(product), built together with \(pick(Self.strangers)), "
                + "which costs \(price) dollars per month for a team."
        }
        let start = EventTime(microsecondsSinceEpoch: startMicroseconds)
        var event = LLMEvent(
            requestID: "grounded-\(random.next() % 1_000_000_000)-\(sequence)", start: start,
            firstToken: EventTime(microsecondsSinceEpoch: startMicroseconds + 300_000),
            end: EventTime(microsecondsSinceEpoch: startMicroseconds + 1_800_000), model: profile.model,
            provider: profile.provider,
            dimensions: EventDimensions(
                app: "support-bot", route: "/v1/support", tenant: "acme", team: "support", environment: "production",
                modelVersion: "\(profile.model)-2026-06"),
            tokens: TokenCounts(input: 180, output: 60), status: .ok, finishReason: "stop")
        event.prompt = prompt
        event.context = context
        event.response = response
        if kind != .supported && random.uniform() < 0.3 { event.feedback = Feedback(score: 0, label: "thumbs_down") }
        return (event, kind)
    }

    private mutating func pick(_ values: [String]) -> String { values[Int(random.next() % UInt64(values.count))] }
}
