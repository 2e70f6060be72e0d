import DriftlineStats
import DriftlineStore

extension PipelineConfiguration {
    /// Every check that needs neither Kafka nor PostgreSQL; the first failure names the file
    /// (or the environment variable) and the key.
    public func validate(file: String? = nil) throws {
        func fail(_ key: String, _ message: String) -> ConfigurationError {
            error(key, file: file, message)
        }
        if kafka.brokers.isEmpty { throw fail("kafka.brokers", "expected host:port[,host:port…], got an empty string") }
        if kafka.groupID.isEmpty { throw fail("kafka.group_id", "expected a consumer group name") }
        if let instance = kafka.groupInstanceID, !instance.hasPrefix("env:") {
            try Self.validateGroupInstanceID(instance) { fail("kafka.group_instance_id", $0) }
        }
        if kafka.topics.isEmpty { throw fail("kafka.topics", "expected at least one topic") }
        if Set(kafka.topics.map(\.name)).count != kafka.topics.count {
            throw fail("kafka.topics", "a topic is listed twice")
        }
        if !(1...100_000).contains(kafka.batchSize) {
            throw fail("kafka.batch_size", "expected 1…100000, got \(kafka.batchSize)")
        }
        let typed = [
            "enable.auto.commit": "", "group.id": " (kafka.group_id)", "bootstrap.servers": " (kafka.brokers)",
            "group.instance.id": " (kafka.group_instance_id)",
        ]
        for (forbidden, setting) in typed.sorted(by: { $0.key < $1.key }) where kafka.properties[forbidden] != nil {
            throw fail(
                "kafka.properties.\(forbidden)", "is set by Driftline itself; use the typed setting instead\(setting)")
        }
        do {
            _ = try DatabaseURL(parsing: postgres.url)
        } catch {
            throw fail("postgres.url", (error as? StoreError)?.message ?? "\(error)")
        }
        if !(1...200).contains(postgres.maxConnections) {
            throw fail("postgres.max_connections", "expected 1…200, got \(postgres.maxConnections)")
        }
        if !(1...3600).contains(postgres.connectTimeoutSeconds) {
            throw fail(
                "postgres.connect_timeout_seconds", "expected 1…3600 seconds, got \(postgres.connectTimeoutSeconds)")
        }
        if !(0...86_400).contains(postgres.startupRetrySeconds) {
            throw fail(
                "postgres.startup_retry_seconds", "expected 0…86400 seconds, got \(postgres.startupRetrySeconds)")
        }
        if aggregation.windowSeconds < 1 || 86_400 % aggregation.windowSeconds != 0 {
            throw fail(
                "aggregation.window_seconds",
                "expected a whole number of seconds that divides a day (60, 300, 3600 …), got \(aggregation.windowSeconds)"
            )
        }
        if Set(aggregation.dimensions).count != aggregation.dimensions.count {
            throw fail("aggregation.dimensions", "a dimension is listed twice")
        }
        if let detectors = drift.detectors {
            if Set(detectors.streamBy).count != detectors.streamBy.count {
                throw fail("drift.detectors.stream_by", "a dimension is listed twice")
            }
            if detectors.signals.isEmpty || Set(detectors.signals).count != detectors.signals.count {
                throw fail(
                    "drift.detectors.signals",
                    "expected each signal at most once and at least one (or `detectors: off`)")
            }
        }
        if let psi = drift.psi {
            for (key, value) in [
                ("every_seconds", psi.everySeconds), ("current_seconds", psi.currentSeconds),
                ("reference_seconds", psi.referenceSeconds),
            ] where !(1...31_622_400).contains(value) {
                throw fail("drift.psi.\(key)", "expected 1…31622400 seconds, got \(value)")
            }
            if !(2...100).contains(psi.bins) { throw fail("drift.psi.bins", "expected 2…100, got \(psi.bins)") }
            if (try? PSIThresholds(minor: psi.minor, major: psi.major)) == nil {
                throw fail("drift.psi.minor", "expected 0 < minor ≤ major, got \(psi.minor) and \(psi.major)")
            }
            if Set(psi.groupBy).count != psi.groupBy.count {
                throw fail("drift.psi.group_by", "a dimension is listed twice")
            }
            if psi.features.contains(PSIEvaluator.faithfulness) && quality == nil {
                throw fail(
                    "drift.psi.features",
                    "faithfulness compares the scored samples' scores, which need the quality: section")
            }
            for feature in psi.features
            where NumericDistribution(rawValue: feature) == nil && CategoricalFeature(name: feature) == nil
                && feature != PSIEvaluator.faithfulness
            {
                let numeric = (NumericDistribution.allCases.map(\.rawValue) + [PSIEvaluator.faithfulness])
                    .joined(separator: ", ")
                throw fail(
                    "drift.psi.features",
                    "expected numeric features (\(numeric)) or categorical ones (\(CategoricalFeature.names)), got \"\(feature)\""
                )
            }
        }
        if !(flush.intervalSeconds > 0 && flush.intervalSeconds <= 3600) {
            throw fail(
                "flush.interval_seconds", "expected a number of seconds in (0, 3600], got \(flush.intervalSeconds)")
        }
        if !(flush.timeoutSeconds >= 1 && flush.timeoutSeconds <= 600) {
            throw fail(
                "flush.timeout_seconds", "expected a number of seconds in [1, 600], got \(flush.timeoutSeconds)")
        }
        if flush.maxPendingWindows < 1 {
            throw fail("flush.max_pending_windows", "expected a positive number, got \(flush.maxPendingWindows)")
        }
        if decoder.maxRecordBytes < 64 {
            throw fail("decoder.max_record_bytes", "expected at least 64, got \(decoder.maxRecordBytes)")
        }
        _ = try otlp.mapping(file: file)
        if deadLetters.maxPayloadBytes < 0 {
            throw fail("dead_letters.max_payload_bytes", "expected 0 or more, got \(deadLetters.maxPayloadBytes)")
        }
        try costs.validate(file: file)
        try alerts?.validate(file: file)
        try quality?.validate(file: file)
        try lifecycle?.validate(file: file)
        if drift.detectors?.signals.contains(.faithfulness) == true && quality == nil {
            throw fail(
                "drift.detectors.signals",
                "faithfulness follows the scored samples' scores, which need the quality: section")
        }
        if let embeddings = drift.embeddings, let days = lifecycle?.retentionDays[.embeddings], days > 0 {
            let key = "lifecycle.retention_days.embeddings"
            if embeddings.fixedReference != nil {
                throw fail(
                    key,
                    "drift.embeddings has a fixed reference period, whose rows would be deleted \(days) days after "
                        + "it: set it to 0 (keep forever) or use reference_seconds")
            }
            let needed = embeddings.referenceSeconds + embeddings.currentSeconds
            if Int64(days) * 86_400 < Int64(needed) {
                throw fail(
                    key,
                    "drift.embeddings compares \(needed) seconds of rows (reference_seconds + current_seconds), "
                        + "more than the \(days) days kept: expected at least \((needed + 86_399) / 86_400) days")
            }
        }
        if let metrics {
            if !(0...65_535).contains(metrics.port) {
                throw fail("metrics.port", "expected a TCP port number (0…65535), got \(metrics.port)")
            }
            if metrics.host.isEmpty || metrics.host.contains(where: \.isWhitespace) {
                throw fail(
                    "metrics.host",
                    "expected an address to listen on (127.0.0.1, 0.0.0.0, ::1), got \"\(metrics.host)\"")
            }
        }
    }

    /// Kafka's rule for a `group.instance.id`: 1 to 249 characters of `a-z A-Z 0-9 . _ -`.
    static func validateGroupInstanceID(_ id: String, fail: (String) -> ConfigurationError) throws {
        let allowed = id.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9")
                || "._-".unicodeScalars.contains($0)
        }
        guard !id.isEmpty, id.count <= 249, allowed else {
            throw fail("expected 1 to 249 characters of a-z, A-Z, 0-9, '.', '_' and '-', got \"\(id)\"")
        }
    }
}
