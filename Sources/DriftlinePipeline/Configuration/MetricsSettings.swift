extension PipelineConfiguration {
    /// `metrics:` — where `driftline run` serves its own Prometheus metrics (`/metrics`) and its
    /// health (`/healthz`, `/readyz`). Loopback by default, so nothing beyond the machine reads
    /// them unless asked; compose listens on 0.0.0.0 inside its private network.
    public struct MetricsSettings: Codable, Sendable, Equatable {
        public var host = "127.0.0.1"
        /// 9464: the port OpenTelemetry's Prometheus exporters use by convention. 0 picks a free
        /// port (what the tests do).
        public var port = 9464

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable { case host, port }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            host = try container.decodeIfPresent(String.self, forKey: .host) ?? host
            port = try container.decodeInteger(.port, expected: "a TCP port number (0…65535)") ?? port
        }
    }
}
