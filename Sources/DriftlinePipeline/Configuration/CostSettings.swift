import DriftlineCore

extension PipelineConfiguration {
    /// `costs:` — the price catalogue, the dimensions cost is attributed by, and budgets.
    public struct CostSettings: Codable, Sendable, Equatable {
        /// The price catalogue (YAML, see `pipelines/prices.yaml`); nil turns cost off.
        public var catalogue: String?
        /// Cost rows (`dl_costs`) are keyed by the window and these; model and provider are
        /// always included, because unpriced tokens are counted per model and GPU-hour cost is
        /// spread per deployment.
        public var dimensions: [Dimension] = [.model, .provider, .app, .tenant, .team, .environment]
        public var labels: [String] = []
        public var budgets: [Budget] = []

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable { case catalogue, dimensions, labels, budgets }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            catalogue = try container.decodeIfPresent(String.self, forKey: .catalogue)
            dimensions = try container.decodeIfPresent([Dimension].self, forKey: .dimensions) ?? dimensions
            labels = try container.decodeIfPresent([String].self, forKey: .labels) ?? labels
            budgets = try container.decodeIfPresent([Budget].self, forKey: .budgets) ?? budgets
        }

        public var windowDimensions: [Dimension] {
            var set = dimensions
            for required in [Dimension.model, .provider] where !set.contains(required) { set.append(required) }
            return set
        }

        func validate(file: String?) throws {
            if let catalogue, catalogue.isEmpty {
                throw ConfigurationError(file: file, key: "costs.catalogue", "expected a file path, or leave it out")
            }
            if Set(dimensions).count != dimensions.count {
                throw ConfigurationError(file: file, key: "costs.dimensions", "a dimension is listed twice")
            }
            var names = Set<String>()
            for (index, budget) in budgets.enumerated() {
                let key = "costs.budgets[\(index)]"
                if budget.name.isEmpty { throw ConfigurationError(file: file, key: "\(key).name", "expected a name") }
                if let dimension = Dimension(rawValue: budget.scope.rawValue), !windowDimensions.contains(dimension) {
                    throw ConfigurationError(
                        file: file, key: "\(key).scope",
                        "cost is not attributed by \(budget.scope.rawValue); add it to costs.dimensions")
                }
                if !names.insert(budget.name).inserted {
                    throw ConfigurationError(file: file, key: "\(key).name", "budget \(budget.name) is defined twice")
                }
                do {
                    let amount = try Money(decimal: budget.amountUSD)
                    if amount <= .zero {
                        throw ConfigurationError(file: file, key: "\(key).amount_usd", "expected a positive amount")
                    }
                } catch let error as MoneyError {
                    throw ConfigurationError(
                        file: file, key: "\(key).amount_usd", "expected a decimal amount of USD: \(error)")
                }
            }
        }
    }

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
