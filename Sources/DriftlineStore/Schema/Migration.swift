/// One versioned schema change. Each statement runs on its own (the extended query protocol
/// takes one statement per query); all statements of all pending migrations run in one transaction.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let statements: [String]

    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

extension Migration {
    /// Every migration, in order. Append new ones; never edit one that has shipped.
    public static let all: [Migration] = [
        Migration(version: 1, name: "histogram type and functions", statements: HistogramSQL.statements),
        Migration(version: 2, name: "windows, offsets, dead letters", statements: CoreSchemaSQL.statements),
        Migration(version: 3, name: "costs, GPU prices, budgets", statements: CostSchemaSQL.statements),
        Migration(version: 4, name: "OTLP non-model-call span counts", statements: SpanCountSQL.statements),
        Migration(version: 5, name: "saturating sums, rejected rows", statements: RobustnessSQL.statements),
        Migration(version: 6, name: "categorical feature counts", statements: CategoryCountSQL.statements),
        Migration(version: 7, name: "drift detections, analyser state", statements: DriftSQL.statements),
        Migration(version: 8, name: "alert threshold counts, state, history, outbox", statements: AlertSQL.statements),
        Migration(version: 9, name: "change events, drift movers", statements: ChangeSQL.statements),
        Migration(version: 10, name: "embedding sums, samples, drift", statements: EmbeddingSQL.statements),
        Migration(version: 11, name: "quality samples, counts, Wilson rates", statements: QualitySQL.statements),
        Migration(
            version: 12, name: "analyst views, read-only role driftline_reader",
            statements: AnalystViewSQL.helpers + AnalystViewSQL.statements + ReaderRoleSQL.statements),
        Migration(version: 13, name: "storage lifecycle: sub-hour row indexes", statements: LifecycleSQL.statements),
        Migration(
            version: 14, name: "window tables partitioned by week of window_start", statements: PartitionSQL.statements),
        Migration(version: 15, name: "SLO error budgets", statements: SLOBudgetSQL.statements),
        Migration(version: 16, name: "queue of texts to embed", statements: EmbeddingTextSQL.statements),
    ]
}
