public import DriftlineCore
import DriftlineKafka
public import Foundation

extension PipelineConfiguration {
    /// Everything `driftline run` can check before it connects to PostgreSQL or Kafka: secrets
    /// referenced as `env:` and `file:`, librdkafka's properties, the password file, the price
    /// catalogue, the OTLP mapping, the alert rules, the receivers' secrets and a cross-encoder
    /// scorer's model directory. Each failure is a `ConfigurationError` (or a
    /// `PriceCatalogueError`) naming the key; it returns the catalogue it loaded, if any.
    @discardableResult
    public func checkWithoutDatabase(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> PriceCatalogue?
    {
        let properties = try resolvedKafkaProperties(environment: environment)
        var settings = KafkaConfiguration(bootstrapServers: kafka.brokers)
        settings.groupID = kafka.groupID
        settings.clientID = kafka.clientID
        settings.properties = properties
        do {
            try settings.validate()
        } catch {
            let property = error.property ?? ""
            var message = error.message
            // librdkafka quotes a rejected value; a secret's value must not reach the log.
            if let value = properties[property], Self.isSecret(property), !value.isEmpty {
                message = message.replacingOccurrences(of: value, with: "***")
            }
            throw self.error(Self.settingKey(ofKafkaProperty: property), file: nil, "librdkafka: \(message)")
        }
        _ = try databaseURL()
        _ = try otlp.mapping()
        _ = try alertRules()
        _ = try alerts?.routes(environment: environment)
        try quality?.scorer.check()
        return try costs.loadCatalogue()
    }

    static func isSecret(_ property: String) -> Bool {
        ["password", "secret", "key", "token", "jaas"].contains { property.lowercased().contains($0) }
    }

    static func settingKey(ofKafkaProperty property: String) -> String {
        switch property {
        case "bootstrap.servers": "kafka.brokers"
        case "group.id": "kafka.group_id"
        case "client.id": "kafka.client_id"
        case "group.instance.id": "kafka.group_instance_id"
        default: "kafka.properties.\(property)"
        }
    }
}
