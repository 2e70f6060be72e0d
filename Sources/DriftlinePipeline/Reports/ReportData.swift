/// What `driftline report` shows, read from PostgreSQL by `ReportQuery` and drawn by
/// `HTMLReport`. Times are whole seconds since the epoch; the range is `[from, to)`.
public struct ReportData: Sendable, Equatable {
    public var from: Int64
    public var to: Int64
    /// Time series points are per bucket of this many seconds (windows merged exactly).
    public var bucketSeconds: Int64
    /// How the range was asked for (`1h`), shown in the title.
    public var rangeLabel: String
    public var generatedAt: Int64
    /// p99 TTFT (ms) per model and bucket; the models with the most requests.
    public var ttftP99: [ReportSeries] = []
    /// Models with traffic in the range that `ttftP99` leaves out.
    public var modelsNotShown = 0
    /// Requests and errors per bucket, over all models.
    public var traffic: [ReportSeries] = []
    public var costByTeam: [ReportCost] = []
    public var teamsNotShown = 0
    public var psi: [ReportPSI] = []
    public var driftEvents: [ReportDriftEvent] = []
    public var alerts: [ReportAlert] = []

    public init(from: Int64, to: Int64, bucketSeconds: Int64, rangeLabel: String, generatedAt: Int64) {
        self.from = from
        self.to = to
        self.bucketSeconds = bucketSeconds
        self.rangeLabel = rangeLabel
        self.generatedAt = generatedAt
    }
}

/// One line of a time chart: values at bucket starts, oldest first; buckets without a value
/// are absent (the line breaks there).
public struct ReportSeries: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public var time: Int64
        public var value: Double
        public init(time: Int64, value: Double) {
            self.time = time
            self.value = value
        }
    }

    public var name: String
    public var points: [Point]

    public init(name: String, points: [Point]) {
        self.name = name
        self.points = points
    }
}

/// Spend of one team (`dl_spend`); `costUSD` is nil when none of its requests were priced.
public struct ReportCost: Sendable, Equatable {
    public var team: String
    public var costUSD: Double?
    public var requests: Int64
    public var unpricedRequests: Int64

    public init(team: String, costUSD: Double?, requests: Int64, unpricedRequests: Int64) {
        self.team = team
        self.costUSD = costUSD
        self.requests = requests
        self.unpricedRequests = unpricedRequests
    }
}

/// The latest PSI of one feature in one grouping (`dl_drift_results`).
public struct ReportPSI: Sendable, Equatable {
    public var feature: String
    /// `model=gpt-4o, tenant=acme`; empty for all traffic.
    public var grouping: String
    public var psi: Double
    public var severity: String
    public var currentStart: Int64
    public var currentEnd: Int64
    public var referenceCount: Int64
    public var currentCount: Int64

    public init(
        feature: String, grouping: String, psi: Double, severity: String, currentStart: Int64, currentEnd: Int64,
        referenceCount: Int64, currentCount: Int64
    ) {
        self.feature = feature
        self.grouping = grouping
        self.psi = psi
        self.severity = severity
        self.currentStart = currentStart
        self.currentEnd = currentEnd
        self.referenceCount = referenceCount
        self.currentCount = currentCount
    }
}

/// An online detector's event, detections merged across partitions (`dl_drift_events`).
public struct ReportDriftEvent: Sendable, Equatable {
    /// `model=gpt-4o`.
    public var stream: String
    public var signal: String
    public var detector: String
    public var firstDetected: Int64
    public var detections: Int64
    public var meanBefore: Double?
    public var meanAfter: Double?

    public init(
        stream: String, signal: String, detector: String, firstDetected: Int64, detections: Int64,
        meanBefore: Double?, meanAfter: Double?
    ) {
        self.stream = stream
        self.signal = signal
        self.detector = detector
        self.firstDetected = firstDetected
        self.detections = detections
        self.meanBefore = meanBefore
        self.meanAfter = meanAfter
    }
}

/// A firing or resolved notification of an alert (`dl_alert_history`).
public struct ReportAlert: Sendable, Equatable {
    public var at: Int64
    public var status: String
    public var rule: String
    public var severity: String
    /// The labels that tell the alert's series apart, `model=gpt-4o`.
    public var labels: String
    public var summary: String

    public init(at: Int64, status: String, rule: String, severity: String, labels: String, summary: String) {
        self.at = at
        self.status = status
        self.rule = rule
        self.severity = severity
        self.labels = labels
        self.summary = summary
    }
}
