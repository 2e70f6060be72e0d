/// One group of a grouped rule: the values of its `group_by` dimensions, e.g. `model=gpt-4o, tenant=acme`.
/// An ungrouped rule has exactly one group, ``AlertGroup/all``.
public struct AlertGroup: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var values: [AlertDimension: String]

    public init(_ values: [AlertDimension: String] = [:]) {
        self.values = values
    }

    public static let all = AlertGroup()

    /// The group's dimensions as alert labels (`model_version`, not `modelVersion`).
    public var labels: [String: String] {
        Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) })
    }

    public var description: String {
        values.isEmpty
            ? "{}"
            : "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + "}"
    }

    public static func < (lhs: AlertGroup, rhs: AlertGroup) -> Bool { lhs.description < rhs.description }
}
