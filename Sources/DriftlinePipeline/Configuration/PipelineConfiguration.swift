/// `driftline run`'s configuration, decoded from YAML (see `pipelines/default.yaml`), then
/// overridden from the environment and validated before anything starts. Each section is its
/// own type (`KafkaSettings`, `PostgresSettings`, …); loading, the environment, validation and
/// secrets are extensions in `PipelineConfiguration+*.swift`.
public struct PipelineConfiguration: Codable, Sendable, Equatable {
    public var kafka = KafkaSettings()
    public var postgres = PostgresSettings()
    public var aggregation = AggregationSettings()
    public var flush = FlushSettings()
    public var decoder = DecoderSettings()
    public var deadLetters = DeadLetterSettings()
    public var costs = CostSettings()
    /// How OTLP spans map to events (custom attribute names); see `OTLPSettings`.
    public var otlp = OTLPSettings()
    /// Online drift detectors; see `DriftSettings`.
    public var drift = DriftSettings()
    /// SLO and threshold alerts and their receivers; nil (`alerts: off`) evaluates none.
    public var alerts: AlertSettings? = AlertSettings()
    /// Sampling for faithfulness scoring; nil (`quality: off`, the default) samples nothing.
    public var quality: QualitySettings?
    /// Rollups and retention of the stored rows; nil (`lifecycle: off`) runs no periodic job.
    public var lifecycle: LifecycleSettings? = LifecycleSettings()
    /// The HTTP endpoint with Driftline's own metrics and health; nil (`metrics: off`) serves none.
    public var metrics: MetricsSettings? = MetricsSettings()
    /// Settings the environment replaced, by their key (`postgres.url`) → the variable
    /// (`DATABASE_URL`), so that a bad value is blamed on where it came from.
    public internal(set) var environmentOverrides: [String: String] = [:]

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kafka, postgres, aggregation, flush, decoder, costs, otlp, drift, alerts, quality, lifecycle, metrics
        case deadLetters = "dead_letters"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        kafka = try container.decodeIfPresent(KafkaSettings.self, forKey: .kafka) ?? kafka
        postgres = try container.decodeIfPresent(PostgresSettings.self, forKey: .postgres) ?? postgres
        aggregation = try container.decodeIfPresent(AggregationSettings.self, forKey: .aggregation) ?? aggregation
        flush = try container.decodeIfPresent(FlushSettings.self, forKey: .flush) ?? flush
        self.decoder = try container.decodeIfPresent(DecoderSettings.self, forKey: .decoder) ?? self.decoder
        deadLetters = try container.decodeIfPresent(DeadLetterSettings.self, forKey: .deadLetters) ?? deadLetters
        costs = try container.decodeIfPresent(CostSettings.self, forKey: .costs) ?? costs
        otlp = try container.decodeIfPresent(OTLPSettings.self, forKey: .otlp) ?? otlp
        drift = try container.decodeIfPresent(DriftSettings.self, forKey: .drift) ?? drift
        if (try? container.decode(String.self, forKey: .alerts)) == "off" {
            alerts = nil
        } else {
            alerts = try container.decodeIfPresent(AlertSettings.self, forKey: .alerts) ?? alerts
        }
        if (try? container.decode(String.self, forKey: .quality)) == "off" {
            quality = nil
        } else {
            quality = try container.decodeIfPresent(QualitySettings.self, forKey: .quality)
        }
        if (try? container.decode(String.self, forKey: .lifecycle)) == "off" {
            lifecycle = nil
        } else {
            lifecycle = try container.decodeIfPresent(LifecycleSettings.self, forKey: .lifecycle) ?? lifecycle
        }
        if (try? container.decode(String.self, forKey: .metrics)) == "off" {
            metrics = nil
        } else {
            metrics = try container.decodeIfPresent(MetricsSettings.self, forKey: .metrics) ?? metrics
        }
    }
}
