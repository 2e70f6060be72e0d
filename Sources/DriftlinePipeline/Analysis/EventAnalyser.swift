public import DriftlineCore
public import DriftlineStore

/// One per-event analysis: window aggregates, costs, span counts, feature counts, detectors,
/// embedding sums, sampling decisions. Its state is flushed with the offsets of the records it
/// has seen, in one transaction, so a crash replays to the same result.
///
/// The ingest driver calls it on the Kafka poll thread only: ``add(_:from:)`` for every event,
/// ``take()`` when a flush starts, ``restore(_:)`` with the same rows when that flush failed (in
/// front of what came since), and ``discardUnstored()`` when nothing unstored may be kept
/// (fencing, or partitions leaving with rows not stored). Adding an analysis is one conforming
/// type, one ``StoredRows`` writer and one migration; the handler does not change.
public protocol EventAnalyser: Sendable {
    associatedtype Rows: StoredRows

    /// What of an event beyond its numbers and dimensions this analyser reads; decoders keep
    /// text and embeddings only when some configured analyser needs them.
    var needs: AnalyserNeeds { get }

    mutating func add(_ event: EnrichedEvent, from partition: SourcePartition)

    /// An OTLP span that is not a model call (tools, retrieval, agents); most analysers ignore it.
    mutating func add(_ span: OTLPSpanSummary, from partition: SourcePartition)

    /// Rows the next flush would write; a flush falls due early when all analysers hold
    /// `flush.max_pending_windows` together.
    var pendingRows: Int { get }

    /// Hands over the rows built so far and starts empty (state that must outlive a flush, like
    /// a detector's window, stays).
    mutating func take() -> Rows

    /// Merges back the rows of a flush that failed.
    mutating func restore(_ rows: Rows)

    /// Forgets everything not stored.
    mutating func discardUnstored()

    /// The name under which state that must outlive flushes (a detector's window) is stored in
    /// `dl_analyser_state`, with the offsets; nil for an analyser that keeps none.
    var stateName: String? { get }

    /// Replaces what is kept for `partitions` with the state stored for them (`stored`, by
    /// partition and key; a partition without any starts afresh). The driver calls it when
    /// partitions are assigned, after a restart from the stored offsets, and with nothing
    /// stored when partitions leave. Returns a line for each stored piece it could not read.
    mutating func loadState(_ stored: [SourcePartition: [String: [UInt8]]], for partitions: Set<SourcePartition>)
        -> [String]
}

extension EventAnalyser {
    public var needs: AnalyserNeeds { [] }
    public var stateName: String? { nil }
    public mutating func loadState(_ stored: [SourcePartition: [String: [UInt8]]], for partitions: Set<SourcePartition>)
        -> [String]
    { [] }
    public mutating func add(_ span: OTLPSpanSummary, from partition: SourcePartition) {}

    /// ``take()`` for a driver that holds analysers of different types.
    mutating func takeRows() -> any StoredRows { take() }

    /// ``restore(_:)`` for a driver that holds analysers of different types; `rows` are what
    /// ``takeRows()`` of this analyser returned.
    mutating func restoreRows(_ rows: any StoredRows) {
        guard let rows = rows as? Rows else {
            preconditionFailure("rows of \(type(of: rows)) restored into \(Self.self)")
        }
        restore(rows)
    }
}

/// What an analyser reads of an event beyond its numbers and dimensions.
public struct AnalyserNeeds: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Prompt, response and retrieved context.
    public static let text = AnalyserNeeds(rawValue: 1)
    /// The event's embedding vector, when the log carries one.
    public static let embedding = AnalyserNeeds(rawValue: 2)
}
