public import DriftlineAlerts
import DriftlineStore
public import Foundation
import NIOCore
import PostgresNIO

extension PostgresAlertStore {
    // MARK: Cost and drift reads (budget and drift rules)

    public func costAlerts() async throws -> [CostAlertRow] {
        let rows = try await client.query(
            "SELECT rule, subject, value::float8, threshold::float8 FROM dl_cost_alerts ORDER BY rule, subject",
            logger: logger)
        var result: [CostAlertRow] = []
        for try await (rule, subject, value, threshold) in rows.decode((String, String, Double, Double).self) {
            result.append(CostAlertRow(condition: rule, subject: subject, value: value, threshold: threshold))
        }
        return result
    }

    public func recentPSI(feature: String, count: Int) async throws -> [String: [Double]] {
        let rows = try await client.query(
            """
            SELECT grouping::text, psi FROM (
                SELECT grouping, psi, row_number() OVER (PARTITION BY grouping ORDER BY current_end DESC) AS n
                FROM dl_drift_results WHERE feature = \(feature)
            ) r WHERE n <= \(count) ORDER BY grouping, n
            """, logger: logger)
        var result: [String: [Double]] = [:]
        for try await (grouping, psi) in rows.decode((String, Double).self) {
            result[grouping, default: []].append(psi)
        }
        return result
    }

    public func detections(signal: String, since start: Date) async throws -> [String: Int] {
        let rows = try await client.query(
            """
            SELECT stream::text, count(*)::int8 FROM dl_drift_detections
            WHERE signal = \(signal) AND event_time >= to_timestamp(\(start.timeIntervalSince1970)::float8)
            GROUP BY 1
            """, logger: logger)
        var result: [String: Int] = [:]
        for try await (stream, count) in rows.decode((String, Int64).self) { result[stream] = Int(count) }
        return result
    }

    public func latestCentroidDistances(metric: DriftRule.CentroidMetric) async throws -> [String: Double] {
        // The column comes from the enumeration, never from input.
        let column = metric == .cosine ? "cosine_distance" : "euclidean_distance"
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT DISTINCT ON (grouping) grouping::text, \(column)
                    FROM dl_embedding_drift ORDER BY grouping, current_end DESC, evaluated_at DESC
                    """),
            logger: logger)
        var result: [String: Double] = [:]
        for try await (grouping, distance) in rows.decode((String, Double?).self) {
            if let distance { result[grouping] = distance }
        }
        return result
    }

    // MARK: Engine steps

    /// Runs one engine step in one transaction: locks the state row (so members evaluating at
    /// once take turns, and the second sees the first's changes instead of notifying them again),
    /// applies `evaluations`, and writes the new state, the current alerts, the history, the
    /// outbox rows and the SLOs' error budgets together. Returns the step and whether notification
    /// groups still wait.
    @discardableResult
    public func step(
        _ engine: AlertEngine, evaluations: [AlertEngine.Evaluation], knownRules: Set<String>? = nil, at time: Date
    ) async throws -> (AlertStep, groupsWaiting: Bool) {
        try await client.withConnection { connection in
            try await AggregateStore.transaction(on: connection, logger: logger) { connection in
                try await connection.query(
                    "INSERT INTO dl_alert_engine (id, state) VALUES (1, '{}') ON CONFLICT (id) DO NOTHING",
                    logger: logger)
                let rows = try await connection.query(
                    "SELECT state::text FROM dl_alert_engine WHERE id = 1 FOR UPDATE", logger: logger)
                var stateText = "{}"
                for try await (text) in rows.decode(String.self) { stateText = text }
                let before = try Self.decodeState(stateText)
                var state = before
                let step = engine.step(&state, evaluations: evaluations, knownRules: knownRules, at: time)
                if state != before || !step.changes.isEmpty || !step.outgoing.isEmpty {
                    try await write(
                        state: state, trackerChanged: state.tracker != before.tracker, step: step, at: time,
                        on: connection)
                }
                try await writeBudgets(of: evaluations, knownRules: knownRules, on: connection)
                return (step, AlertEngine.groupsWaiting(in: state))
            }
        }
    }

    /// The stored state; `{}` (first start) is the empty state.
    static func decodeState(_ text: String) throws -> AlertEngineState {
        if text == "{}" { return AlertEngineState() }
        do {
            return try JSONDecoder().decode(AlertEngineState.self, from: Data(text.utf8))
        } catch {
            throw AlertStoreError(
                "dl_alert_engine holds a state this version cannot read (\(error)); "
                    + "delete its row to start afresh (firing alerts will notify again)")
        }
    }

    private func write(
        state: AlertEngineState, trackerChanged: Bool, step: AlertStep, at time: Date,
        on connection: PostgresConnection
    ) async throws {
        let stateJSON = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
        try await connection.query(
            "UPDATE dl_alert_engine SET state = \(stateJSON)::jsonb, updated_at = now() WHERE id = 1", logger: logger)
        if trackerChanged { try await writeCurrent(state.tracker, on: connection) }
        try await writeHistory(step.changes, at: time, on: connection)
        for outgoing in step.outgoing {
            let body = ByteBuffer(bytes: try outgoing.payload.encoded())
            try await connection.query(
                "INSERT INTO dl_alert_outbox (receiver, body) VALUES (\(outgoing.receiver), \(body))",
                logger: logger)
        }
    }

    /// `dl_alerts` mirrors the tracker: pending and firing series only.
    private func writeCurrent(_ tracker: AlertTracker, on connection: PostgresConnection) async throws {
        try await connection.query("DELETE FROM dl_alerts", logger: logger)
        for (fingerprint, series) in tracker.series.sorted(by: { $0.key < $1.key }) {
            let since: Date
            let name: String
            switch series.machine.state {
            case .pending(let start):
                (since, name) = (start, "pending")
            case .firing(let start, _):
                (since, name) = (start, "firing")
            case .inactive, .resolved:
                continue
            }
            try await connection.query(
                """
                INSERT INTO dl_alerts (fingerprint, rule, state, severity, labels, annotations, active_since, source_file)
                VALUES (\(fingerprint.hex), \(series.owner), \(name), \(series.labels["severity"] ?? ""),
                        \(Self.json(series.labels))::jsonb, \(Self.json(series.annotations))::jsonb,
                        to_timestamp(\(since.timeIntervalSince1970)::float8), \(series.sourceFile))
                """, logger: logger)
        }
    }

    private func writeHistory(_ changes: [AlertNotification], at time: Date, on connection: PostgresConnection)
        async throws
    {
        for change in changes {
            try await connection.query(
                """
                INSERT INTO dl_alert_history (at, fingerprint, rule, status, severity, labels, annotations, starts_at,
                                              ends_at)
                VALUES (to_timestamp(\(time.timeIntervalSince1970)::float8), \(change.fingerprint.hex),
                        \(change.labels["alertname"] ?? ""), \(change.status.rawValue),
                        \(change.labels["severity"] ?? ""), \(Self.json(change.labels))::jsonb,
                        \(Self.json(change.annotations))::jsonb,
                        to_timestamp(\(change.startsAt.timeIntervalSince1970)::float8),
                        to_timestamp(\(change.endsAt?.timeIntervalSince1970)::float8))
                """, logger: logger)
        }
    }

    static func json(_ labels: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? String(decoding: encoder.encode(labels), as: UTF8.self)) ?? "{}"
    }

    // MARK: Outbox (OutboxStore)

    public func dueMessages(at time: Date, limit: Int) async throws -> [OutboxMessage] {
        let rows = try await client.query(
            """
            SELECT id, receiver, body, attempts, extract(epoch FROM created_at)::float8 FROM (
                SELECT DISTINCT ON (receiver) id, receiver, body, attempts, created_at, next_attempt_at
                FROM dl_alert_outbox WHERE delivered_at IS NULL AND rejected_at IS NULL
                ORDER BY receiver, id
            ) heads
            WHERE next_attempt_at <= to_timestamp(\(time.timeIntervalSince1970)::float8)
            ORDER BY id LIMIT \(limit)
            """, logger: logger)
        var messages: [OutboxMessage] = []
        for try await (id, receiver, body, attempts, created) in rows.decode(
            (Int64, String, ByteBuffer, Int32, Double).self)
        {
            messages.append(
                OutboxMessage(
                    id: id, receiver: receiver, body: Array(body.readableBytesView), attempts: Int(attempts),
                    createdAt: Date(timeIntervalSince1970: created)))
        }
        return messages
    }

    public func markDelivered(id: Int64, attempts: Int, at time: Date) async throws {
        try await client.query(
            """
            UPDATE dl_alert_outbox SET delivered_at = to_timestamp(\(time.timeIntervalSince1970)::float8),
                attempts = \(Int32(attempts)) WHERE id = \(id)
            """, logger: logger)
    }

    public func scheduleRetry(id: Int64, attempts: Int, nextAttemptAt: Date, reason: String) async throws {
        try await client.query(
            """
            UPDATE dl_alert_outbox SET attempts = \(Int32(attempts)),
                next_attempt_at = to_timestamp(\(nextAttemptAt.timeIntervalSince1970)::float8), last_error = \(reason)
            WHERE id = \(id)
            """, logger: logger)
    }

    public func markRejected(id: Int64, attempts: Int, at time: Date, reason: String) async throws {
        try await client.query(
            """
            UPDATE dl_alert_outbox SET rejected_at = to_timestamp(\(time.timeIntervalSince1970)::float8),
                attempts = \(Int32(attempts)), last_error = \(reason) WHERE id = \(id)
            """, logger: logger)
    }
}

/// What `driftline alerts status` shows: the alerts pending or firing, the latest changes and
/// the outbox per receiver.
public struct AlertStatus: Sendable {
    public struct Current: Sendable {
        public var rule: String
        public var state: String
        public var severity: String
        public var labels: String
        public var since: Date
        public var summary: String
    }

    public struct Change: Sendable {
        public var at: Date
        public var status: String
        public var rule: String
        public var labels: String
    }

    public struct Receiver: Sendable {
        public var receiver: String
        public var waiting: Int64
        public var delivered: Int64
        public var rejected: Int64
        public var oldestWaiting: Date?
        public var lastError: String?
    }

    public var current: [Current] = []
    public var recent: [Change] = []
    public var receivers: [Receiver] = []
}

extension PostgresAlertStore {
    public func status(recent: Int = 10) async throws -> AlertStatus {
        var status = AlertStatus()
        let current = try await client.query(
            """
            SELECT rule, state, severity, labels::text, extract(epoch FROM active_since)::float8,
                   coalesce(annotations->>'summary', '')
            FROM dl_alerts ORDER BY state DESC, severity, rule, fingerprint
            """, logger: logger)
        for try await (rule, state, severity, labels, since, summary) in current.decode(
            (String, String, String, String, Double, String).self)
        {
            status.current.append(
                .init(
                    rule: rule, state: state, severity: severity, labels: labels,
                    since: Date(timeIntervalSince1970: since), summary: summary))
        }
        let history = try await client.query(
            """
            SELECT extract(epoch FROM at)::float8, status, rule, labels::text FROM dl_alert_history
            ORDER BY id DESC LIMIT \(recent)
            """, logger: logger)
        for try await (at, change, rule, labels) in history.decode((Double, String, String, String).self) {
            status.recent.append(
                .init(at: Date(timeIntervalSince1970: at), status: change, rule: rule, labels: labels))
        }
        let outbox = try await client.query(
            """
            SELECT receiver,
                   count(*) FILTER (WHERE delivered_at IS NULL AND rejected_at IS NULL),
                   count(*) FILTER (WHERE delivered_at IS NOT NULL),
                   count(*) FILTER (WHERE rejected_at IS NOT NULL),
                   extract(epoch FROM min(created_at) FILTER (WHERE delivered_at IS NULL AND rejected_at IS NULL))::float8,
                   (array_agg(last_error ORDER BY id DESC) FILTER (WHERE last_error IS NOT NULL))[1]
            FROM dl_alert_outbox GROUP BY receiver ORDER BY receiver
            """, logger: logger)
        for try await (receiver, waiting, delivered, rejected, oldest, lastError) in outbox.decode(
            (String, Int64, Int64, Int64, Double?, String?).self)
        {
            status.receivers.append(
                .init(
                    receiver: receiver, waiting: waiting, delivered: delivered, rejected: rejected,
                    oldestWaiting: oldest.map(Date.init(timeIntervalSince1970:)), lastError: lastError))
        }
        return status
    }
}
