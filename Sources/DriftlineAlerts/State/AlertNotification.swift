public import Foundation

/// One alert series changing to firing or resolved: what goes into the outbox and, grouped, into a webhook.
public struct AlertNotification: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable {
        case firing
        case resolved
    }

    public var fingerprint: AlertFingerprint
    public var status: Status
    public var labels: [String: String]
    public var annotations: [String: String]
    public var startsAt: Date
    /// Nil while firing (Alertmanager writes the zero time `0001-01-01T00:00:00Z`).
    public var endsAt: Date?
    /// The rule file, used as the `generatorURL` path.
    public var sourceFile: String

    public init(
        fingerprint: AlertFingerprint, status: Status, labels: [String: String], annotations: [String: String],
        startsAt: Date, endsAt: Date?, sourceFile: String
    ) {
        self.fingerprint = fingerprint
        self.status = status
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.sourceFile = sourceFile
    }
}
