extension PipelineConfiguration {
    /// The environment variables that replace a setting of the file, by the setting's key.
    public static let environmentVariables: [(variable: String, key: String)] = [
        ("DATABASE_URL", "postgres.url"), ("DATABASE_PASSWORD_FILE", "postgres.password_file"),
        ("DATABASE_CONNECT_TIMEOUT", "postgres.connect_timeout_seconds"), ("KAFKA_BROKERS", "kafka.brokers"),
        ("KAFKA_GROUP_ID", "kafka.group_id"), ("KAFKA_GROUP_INSTANCE_ID", "kafka.group_instance_id"),
        ("METRICS_ADDRESS", "metrics.address"),
    ]

    /// `DATABASE_URL`, `DATABASE_PASSWORD_FILE`, `DATABASE_CONNECT_TIMEOUT`, `KAFKA_BROKERS`,
    /// `KAFKA_GROUP_ID`, `KAFKA_GROUP_INSTANCE_ID` and `METRICS_ADDRESS` (`host:port` of the
    /// metrics endpoint, or `off`) override the file; each override is
    /// remembered, so that a bad value names the variable, not the file's key.
    public mutating func applyEnvironment(_ environment: [String: String]) throws {
        for (variable, key) in Self.environmentVariables {
            guard let value = environment[variable], !value.isEmpty else { continue }
            switch key {
            case "postgres.url": postgres.url = value
            case "postgres.password_file": postgres.passwordFile = value
            case "postgres.connect_timeout_seconds":
                guard let seconds = Int(value) else {
                    throw ConfigurationError(
                        variable: variable, key: key, "expected an integer number of seconds, got \"\(value)\"")
                }
                postgres.connectTimeoutSeconds = seconds
            case "kafka.brokers": kafka.brokers = value
            case "kafka.group_id": kafka.groupID = value
            case "kafka.group_instance_id": kafka.groupInstanceID = value
            case "metrics.address": metrics = try Self.metricsAddress(value, variable: variable, key: key)
            default: continue
            }
            environmentOverrides[key] = variable
        }
    }

    /// `host:port` (`[::1]:9464` for IPv6), or `off`.
    static func metricsAddress(_ value: String, variable: String, key: String) throws -> MetricsSettings? {
        if value == "off" { return nil }
        guard let colon = value.lastIndex(of: ":"), let port = Int(value[value.index(after: colon)...]),
            (0...65_535).contains(port)
        else {
            throw ConfigurationError(
                variable: variable, key: key, "expected host:port (e.g. 0.0.0.0:9464) or off, got \"\(value)\"")
        }
        var host = String(value[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else {
            throw ConfigurationError(
                variable: variable, key: key, "expected host:port (e.g. 0.0.0.0:9464) or off, got \"\(value)\"")
        }
        var settings = MetricsSettings()
        settings.host = host
        settings.port = port
        return settings
    }

    /// An error about `key`, blamed on the environment variable that set it, else on the file.
    func error(_ key: String, file: String?, _ message: String) -> ConfigurationError {
        if let variable = environmentOverrides[key] { return ConfigurationError(variable: variable, key: key, message) }
        return ConfigurationError(file: file, key: key, message)
    }
}
