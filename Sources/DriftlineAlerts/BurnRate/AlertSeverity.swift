/// How urgently a human must act: `page` wakes someone, `ticket` waits for working hours.
/// Written into every alert's `severity` label.
public struct AlertSeverity: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public init(_ name: String) { self.name = name }
    public var description: String { name }

    public static let page = AlertSeverity("page")
    public static let ticket = AlertSeverity("ticket")
}
