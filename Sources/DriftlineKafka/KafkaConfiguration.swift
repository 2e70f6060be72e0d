/// Connection settings shared by ``KafkaConsumer``, ``KafkaProducer``: a few typed fields and a raw
/// map of librdkafka properties.
///
/// Any property from librdkafka's `CONFIGURATION.md` can go in ``properties`` (`security.protocol`,
/// `sasl.*`, `ssl.*`, `fetch.*`, …). The effective configuration is built in this order, later
/// entries winning: the client's defaults, the typed fields, then ``properties``. An unknown
/// property or a bad value fails client creation with a ``KafkaError`` naming it.
public struct KafkaConfiguration: Sendable {
    /// `bootstrap.servers`: `host:port` entries.
    public var bootstrapServers: [String]
    /// `group.id`; required by ``KafkaConsumer``.
    public var groupID: String?
    /// `client.id`, shown in broker logs and metrics.
    public var clientID: String?
    /// Raw librdkafka properties, applied last.
    public var properties: [String: String]

    public init(
        bootstrapServers: [String],
        groupID: String? = nil,
        clientID: String? = nil,
        properties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.groupID = groupID
        self.clientID = clientID
        self.properties = properties
    }

    /// - Parameter bootstrapServers: a comma-separated list, as librdkafka and
    ///   ``MockKafkaCluster/bootstrapServers`` write it.
    public init(
        bootstrapServers: String,
        groupID: String? = nil,
        clientID: String? = nil,
        properties: [String: String] = [:]
    ) {
        self.init(
            bootstrapServers: bootstrapServers.split(separator: ",").map {
                String($0.trimmingWhitespace())
            },
            groupID: groupID,
            clientID: clientID,
            properties: properties
        )
    }

    /// The properties in the order they are applied, so a later entry overrides an earlier one.
    func orderedProperties(defaults: [(String, String)]) -> [(String, String)] {
        var result = defaults
        if !bootstrapServers.isEmpty {
            result.append(("bootstrap.servers", bootstrapServers.joined(separator: ",")))
        }
        if let groupID {
            result.append(("group.id", groupID))
        }
        if let clientID {
            result.append(("client.id", clientID))
        }
        // Sorted so that failures are reported deterministically.
        result += properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return result
    }

    /// The value a property will have, ignoring librdkafka's own defaults.
    func effectiveValue(of name: String, defaults: [(String, String)]) -> String? {
        orderedProperties(defaults: defaults).last { $0.0 == name }?.1
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var slice = self
        while let first = slice.first, first.isWhitespace {
            slice = slice.dropFirst()
        }
        while let last = slice.last, last.isWhitespace {
            slice = slice.dropLast()
        }
        return slice
    }
}
