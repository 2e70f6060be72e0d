/// The PSI of one feature in one grouping between a reference and a current period
/// (`dl_drift_results`). Times are whole seconds since the epoch; periods are `[start, end)`.
public struct DriftResult: Sendable, Hashable {
    public var feature: String
    /// The grouping's dimension values as a JSON object, `{}` for all traffic.
    public var grouping: String
    public var binning: String
    public var reference: Range<Int64>
    public var current: Range<Int64>
    public var psi: Double
    public var severity: String
    public var referenceCount: Int64
    public var currentCount: Int64
    /// The bins with both shares, as a JSON array.
    public var binsJSON: String

    public init(
        feature: String, grouping: String, binning: String, reference: Range<Int64>, current: Range<Int64>,
        psi: Double, severity: String, referenceCount: Int64, currentCount: Int64, binsJSON: String
    ) {
        self.feature = feature
        self.grouping = grouping
        self.binning = binning
        self.reference = reference
        self.current = current
        self.psi = psi
        self.severity = severity
        self.referenceCount = referenceCount
        self.currentCount = currentCount
        self.binsJSON = binsJSON
    }
}
