import DriftlineStats

extension TrafficGenerator {
    /// A drift injected into one model's traffic: its requests move to another topic (their
    /// embeddings to another cluster) and its answers get `outputFactor` times longer.
    public struct DriftShift: Sendable, Equatable {
        public var model: String
        public var outputFactor: Double
        /// The topic cluster the model's requests move to.
        public var topic: Int

        public init(model: String, outputFactor: Double = 2.5, topic: Int = TopicSpace.topicCount - 1) {
            self.model = model
            self.outputFactor = outputFactor
            self.topic = topic
        }
    }

    /// Embedding vectors clustered by topic: `topicCount` centres drawn once from the seed (a
    /// standard normal per coordinate, scaled to length 1), and each request's vector its topic's
    /// centre plus normal noise of `spread` per coordinate. Apps ask about the first
    /// `topicCount − 1` topics; the last is the one a drift moves a model to. Drawn from a
    /// generator of its own, so turning embeddings on changes none of the other generated values.
    public struct TopicSpace: Sendable {
        public static let topicCount = 5
        public let dimension: Int
        public let spread: Double
        public let centres: [[Double]]
        private var random: SplitMix64

        public init(dimension: Int, seed: UInt64, spread: Double = 0.08) {
            var random = SplitMix64(seed: seed ^ 0x746F_7069_6373)
            centres = (0..<Self.topicCount).map { _ in
                let raw = (0..<dimension).map { _ in random.normal() }
                let norm = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
                return raw.map { $0 / norm }
            }
            self.dimension = dimension
            self.spread = spread
            self.random = random
        }

        /// The usual topic of a request to `app` (index in `TrafficGenerator.apps`), with one in
        /// four requests on a neighbouring topic.
        public mutating func topic(app: Int) -> Int {
            let usual = app % (Self.topicCount - 1)
            return random.next() % 4 == 0 ? (usual + 1) % (Self.topicCount - 1) : usual
        }

        public mutating func vector(topic: Int) -> [Float] {
            centres[topic].map { Float($0 + spread * random.normal()) }
        }
    }
}
