extension PipelineConfiguration {
    /// A daily or monthly spending limit for one team, tenant or app.
    public struct Budget: Codable, Sendable, Equatable {
        public enum Scope: String, Codable, Sendable, CaseIterable { case team, tenant, app }
        public enum Period: String, Codable, Sendable, CaseIterable { case daily, monthly }

        public var name: String
        public var scope: Scope
        /// The team, tenant or app name.
        public var value: String
        public var period: Period
        /// Exact decimal text, e.g. `5000` or `1250.50`.
        public var amountUSD: String

        public init(name: String, scope: Scope, value: String, period: Period, amountUSD: String) {
            self.name = name
            self.scope = scope
            self.value = value
            self.period = period
            self.amountUSD = amountUSD
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, scope, value, period
            case amountUSD = "amount_usd"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            scope = try container.decode(Scope.self, forKey: .scope)
            value = try container.decode(String.self, forKey: .value)
            period = try container.decode(Period.self, forKey: .period)
            amountUSD = try container.decode(String.self, forKey: .amountUSD)
        }
    }
}
