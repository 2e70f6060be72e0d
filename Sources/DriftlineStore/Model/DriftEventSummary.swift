/// One merged drift event (`dl_drift_events`): a stream's signal that drifted, when, on which
/// partitions, and the means either side of the cut.
public struct DriftEventSummary: Sendable, Hashable {
    /// The stream's dimension values as a JSON object.
    public var stream: String
    public var signal: String
    public var detector: String
    /// Event time of the first detection, in seconds since the epoch.
    public var firstDetected: Double
    public var partitions: [String]
    public var meanBefore: Double?
    public var meanAfter: Double?

    public init(
        stream: String, signal: String, detector: String, firstDetected: Double, partitions: [String],
        meanBefore: Double?, meanAfter: Double?
    ) {
        self.stream = stream
        self.signal = signal
        self.detector = detector
        self.firstDetected = firstDetected
        self.partitions = partitions
        self.meanBefore = meanBefore
        self.meanAfter = meanAfter
    }
}
