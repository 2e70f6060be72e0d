public import DriftlineCore

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
        /// Event provider → catalogue providers to price it as, added to or replacing
        /// `ProviderAliases.standard` (`{my-gateway: [openai]}`; an empty list removes one).
        public var providerAliases: [String: [String]] = [:]

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case catalogue, dimensions, labels, budgets
            case providerAliases = "provider_aliases"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            catalogue = try container.decodeIfPresent(String.self, forKey: .catalogue)
            dimensions = try container.decodeIfPresent([Dimension].self, forKey: .dimensions) ?? dimensions
            labels = try container.decodeIfPresent([String].self, forKey: .labels) ?? labels
            budgets = try container.decodeIfPresent([Budget].self, forKey: .budgets) ?? budgets
            providerAliases =
                try container.decodeIfPresent([String: [String]].self, forKey: .providerAliases) ?? providerAliases
        }

        /// The aliases prices are looked up with: the standard table with `provider_aliases` applied.
        public var aliases: ProviderAliases { ProviderAliases.standard.merging(providerAliases) }

        /// The catalogue with the configured aliases, or nil when costs are off.
        public func loadCatalogue() throws -> PriceCatalogue? {
            guard let file = catalogue else { return nil }
            var loaded = try PriceCatalogue.load(file: file)
            loaded.providerAliases = aliases
            return loaded
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
            for (name, providers) in providerAliases where name.isEmpty || providers.contains(where: \.isEmpty) {
                throw ConfigurationError(
                    file: file, key: "costs.provider_aliases.\(name)", "expected a provider name and a list of names")
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
}
