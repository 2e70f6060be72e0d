/// The event dimensions a rule may filter on or group by: the key columns of the stored aggregates
/// (`dl_windows`, `dl_costs`). `user` is the event's user id (`user_id` in SQL).
public enum AlertDimension: String, CaseIterable, Hashable, Sendable, Codable {
    case model
    case provider
    case app
    case route
    case tenant
    case user
    case team
    case environment
    case modelVersion = "model_version"

    static var allNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
