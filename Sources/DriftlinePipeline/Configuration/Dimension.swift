/// A dimension the aggregates can be split by.
public enum Dimension: String, Codable, Sendable, CaseIterable {
    case model, provider, app, route, tenant, user, team, environment
    case modelVersion = "model_version"

    /// Replaces the raw-value decoding, whose error for `colour` does not say what a dimension
    /// may be, with one that lists them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let dimension = Dimension(rawValue: name) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription:
                    "unknown dimension \"\(name)\"; expected one of: "
                    + Dimension.allCases.map(\.rawValue).joined(separator: ", ")
                    + " (other attributes are split by through labels)")
        }
        self = dimension
    }
}
