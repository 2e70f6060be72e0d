/// One drift detection on one partition's stream of a signal (`dl_drift_detections`).
public struct DriftDetection: Sendable, Hashable, Comparable {
    public var partition: SourcePartition
    /// The stream's key: the configured dimensions' values as a canonical JSON object.
    public var stream: String
    /// `ttft`, `tpot`, `error`, `output_tokens`, …
    public var signal: String
    /// `adwin` or `page_hinkley`.
    public var detector: String
    /// 0-based index of the update, in this partition's stream of the signal, that found it.
    public var updateIndex: Int64
    /// The event time of that update's event, in microseconds since the epoch.
    public var eventTimeMicroseconds: Int64
    public var meanBefore: Double?
    public var meanAfter: Double?
    public var widthBefore: Int64?
    public var widthAfter: Int64?

    public init(
        partition: SourcePartition, stream: String, signal: String, detector: String, updateIndex: Int64,
        eventTimeMicroseconds: Int64, meanBefore: Double? = nil, meanAfter: Double? = nil, widthBefore: Int64? = nil,
        widthAfter: Int64? = nil
    ) {
        self.partition = partition
        self.stream = stream
        self.signal = signal
        self.detector = detector
        self.updateIndex = updateIndex
        self.eventTimeMicroseconds = eventTimeMicroseconds
        self.meanBefore = meanBefore
        self.meanAfter = meanAfter
        self.widthBefore = widthBefore
        self.widthAfter = widthAfter
    }

    public static func < (a: DriftDetection, b: DriftDetection) -> Bool {
        (a.partition, a.stream, a.signal, a.detector, a.updateIndex)
            < (b.partition, b.stream, b.signal, b.detector, b.updateIndex)
    }
}
