/// A dimension the aggregates can be split by: the one list of them. Configuration names them
/// by their raw value, every per-window table has one column for each (`column`), and limits,
/// grouping keys and the store's SQL go through `allCases` rather than spelling them out again.
public enum Dimension: String, Codable, Sendable, CaseIterable {
    case model, provider, app, route, tenant, user, team, environment
    case modelVersion = "model_version"

    /// Its column in `dl_windows`, `dl_costs` and `dl_category_counts` (`user` is a reserved
    /// word in SQL, so that column is `user_id`).
    public var column: String {
        switch self {
        case .user: "user_id"
        default: rawValue
        }
    }

    /// The event's value of this dimension; "" when the event does not report it.
    @inlinable
    public func value(of event: LLMEvent) -> String {
        switch self {
        case .model: event.model
        case .provider: event.provider
        case .app: event.dimensions.app
        case .route: event.dimensions.route
        case .tenant: event.dimensions.tenant
        case .user: event.dimensions.user
        case .team: event.dimensions.team
        case .environment: event.dimensions.environment
        case .modelVersion: event.dimensions.modelVersion
        }
    }

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
