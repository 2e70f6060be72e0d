import DriftlineCore
public import DriftlineStore

/// Change attribution: records the first appearance of each model, each (model, model version)
/// and each value of the configured labels (`drift.change_labels`, e.g. a prompt version) in
/// `dl_change_events`, with the event time it was first seen — deployments to annotate drift
/// and latency with. The store keeps the earliest time any member reported, so the result does
/// not depend on the order partitions are read in.
///
/// A key is handed over again only when an earlier event of it turns up (a late event, a
/// partition that lags); the keys handed over are remembered up to ``maximumKeys``, past which
/// keys are handed over again at each flush rather than remembered.
public struct ChangeTracker: EventAnalyser {
    public static let maximumKeys = 100_000

    public let labels: [String]
    private var pending: [ChangeKey: FirstSeen] = [:]
    /// The earliest event time handed over per key.
    private var handedOver: [ChangeKey: Int64] = [:]

    public init(labels: [String] = []) {
        self.labels = labels
    }

    public var pendingRows: Int { pending.count }

    public mutating func add(_ event: EnrichedEvent, from partition: SourcePartition) {
        let event = event.event
        let seen = FirstSeen(eventTimeMicroseconds: event.start.microsecondsSinceEpoch, partition: partition)
        note(ChangeKey(kind: "model", subject: Self.json(["model": event.model, "provider": event.provider])), seen)
        if !event.dimensions.modelVersion.isEmpty {
            note(
                ChangeKey(
                    kind: "model_version",
                    subject: Self.json(["model": event.model, "model_version": event.dimensions.modelVersion])),
                seen)
        }
        for label in labels {
            guard let value = event.dimensions.labels[label], !value.isEmpty else { continue }
            note(ChangeKey(kind: "label:\(label)", subject: Self.json([label: value])), seen)
        }
    }

    private mutating func note(_ key: ChangeKey, _ seen: FirstSeen) {
        if let stored = handedOver[key], stored <= seen.eventTimeMicroseconds { return }
        pending[key] = pending[key].map { $0.earlier(seen) } ?? seen
    }

    public mutating func take() -> ChangeEventRows {
        defer {
            if handedOver.count + pending.count <= Self.maximumKeys {
                for (key, seen) in pending {
                    handedOver[key] = min(handedOver[key] ?? .max, seen.eventTimeMicroseconds)
                }
            }
            pending = [:]
        }
        return ChangeEventRows(pending)
    }

    public mutating func restore(_ rows: ChangeEventRows) {
        for (key, seen) in rows.firstSeen {
            handedOver[key] = nil
            pending[key] = pending[key].map { $0.earlier(seen) } ?? seen
        }
    }

    public mutating func discardUnstored() {
        pending = [:]
        handedOver = [:]
    }

    /// A canonical JSON object (keys sorted), as PostgreSQL's `jsonb` prints it.
    static func json(_ values: [String: String]) -> String {
        "{"
            + values.sorted { $0.key < $1.key }.map { "\(quoted($0.key)): \(quoted($0.value))" }
            .joined(separator: ", ") + "}"
    }

    private static func quoted(_ text: String) -> String {
        AggregateStore.jsonString(text)
    }
}
