/// Something that can appear for the first time: a model, a model version, a label's value.
public struct ChangeKey: Hashable, Sendable, Comparable {
    /// `model`, `model_version` or `label:KEY`.
    public var kind: String
    /// What appeared, as a canonical JSON object (`{"model": "gpt-4o", "model_version": "2024-11-20"}`).
    public var subject: String

    public init(kind: String, subject: String) {
        self.kind = kind
        self.subject = subject
    }

    public static func < (a: ChangeKey, b: ChangeKey) -> Bool { (a.kind, a.subject) < (b.kind, b.subject) }
}

/// Where and when a key was first seen in the events an analyser handed over.
public struct FirstSeen: Hashable, Sendable {
    /// Event time, microseconds since the epoch.
    public var eventTimeMicroseconds: Int64
    public var partition: SourcePartition

    public init(eventTimeMicroseconds: Int64, partition: SourcePartition) {
        self.eventTimeMicroseconds = eventTimeMicroseconds
        self.partition = partition
    }

    /// The earlier of the two (ties: the first).
    public func earlier(_ other: FirstSeen) -> FirstSeen {
        other.eventTimeMicroseconds < eventTimeMicroseconds ? other : self
    }
}
