/// Which events a rule looks at: for each named dimension, the values it may take (any of them).
/// Dimensions not named are unconstrained. An empty filter selects everything.
public struct DimensionFilter: Hashable, Sendable {
    public var allowedValues: [AlertDimension: Set<String>]

    public init(_ allowedValues: [AlertDimension: Set<String>] = [:]) {
        self.allowedValues = allowedValues
    }

    public func matches(_ dimensions: [AlertDimension: String]) -> Bool {
        allowedValues.allSatisfy { dimension, values in
            dimensions[dimension].map(values.contains) ?? false
        }
    }

    static func read(_ spec: SpecMapping, key: String) throws(AlertSpecError) -> DimensionFilter {
        guard let entries = try spec.optionalStringListMap(key) else { return DimensionFilter() }
        var allowed: [AlertDimension: Set<String>] = [:]
        for (name, values) in entries {
            guard let dimension = AlertDimension(rawValue: name) else {
                throw spec.error(
                    .invalidValue, key: key, expected: "dimensions among \(AlertDimension.allNames)", found: name)
            }
            guard !values.isEmpty else {
                throw spec.error(.invalidValue, key: key, expected: "at least one value for \(name)")
            }
            allowed[dimension, default: []].formUnion(values)
        }
        return DimensionFilter(allowed)
    }

    static func readGrouping(_ spec: SpecMapping, key: String) throws(AlertSpecError) -> [AlertDimension] {
        guard let names = try spec.optionalStringList(key) else { return [] }
        var result: [AlertDimension] = []
        for name in names {
            guard let dimension = AlertDimension(rawValue: name) else {
                throw spec.error(
                    .invalidValue, key: key, expected: "dimensions among \(AlertDimension.allNames)", found: name)
            }
            guard !result.contains(dimension) else {
                throw spec.error(.invalidValue, key: key, expected: "each dimension once", found: name)
            }
            result.append(dimension)
        }
        return result
    }
}
