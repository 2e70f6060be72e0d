public import DriftlineStore
public import Foundation

extension PipelineConfiguration {
    /// The database URL with the password from `password_file` when one is set. A bad URL
    /// names where it came from (`DATABASE_URL` or the file's `postgres.url`), never echoing
    /// its password.
    public func databaseURL() throws -> DatabaseURL {
        var url: DatabaseURL
        do {
            url = try DatabaseURL(parsing: postgres.url)
        } catch {
            throw self.error("postgres.url", file: nil, (error as? StoreError)?.message ?? "\(error)")
        }
        if let file = postgres.passwordFile {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
            else {
                throw self.error("postgres.password_file", file: nil, "cannot read \(file)")
            }
            url.password = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return url
    }

    /// Where the database URL came from, for messages: `DATABASE_URL` or `postgres.url`.
    public var databaseURLSource: String { environmentOverrides["postgres.url"] ?? "postgres.url" }

    /// librdkafka properties with `env:` and `file:` references resolved, and
    /// `group.instance.id` from `kafka.group_instance_id` when it is set.
    public func resolvedKafkaProperties(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> [String: String]
    {
        var resolved: [String: String] = [:]
        for (key, value) in kafka.properties {
            resolved[key] = try Self.resolve(value, key: "kafka.properties.\(key)", environment: environment)
        }
        if let instance = try groupInstanceID(environment: environment) { resolved["group.instance.id"] = instance }
        return resolved
    }

    /// `kafka.group_instance_id` resolved (`env:HOSTNAME` → the container's name) and checked.
    public func groupInstanceID(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> String?
    {
        guard let setting = kafka.groupInstanceID else { return nil }
        let key = "kafka.group_instance_id"
        let value = try Self.resolve(setting, key: key, environment: environment)
        try Self.validateGroupInstanceID(value) { error(key, file: nil, $0) }
        return value
    }

    static func resolve(_ value: String, key: String, environment: [String: String]) throws -> String {
        if value.hasPrefix("env:") {
            let name = String(value.dropFirst(4))
            guard let found = environment[name] else {
                throw ConfigurationError(file: nil, key: key, "environment variable \(name) is not set")
            }
            return found
        }
        if value.hasPrefix("file:") {
            let path = String(value.dropFirst(5))
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else {
                throw ConfigurationError(file: nil, key: key, "cannot read \(path)")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return value
    }
}
