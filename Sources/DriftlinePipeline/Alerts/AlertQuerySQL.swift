import DriftlineAlerts
import DriftlineCore
import DriftlineStore
import Foundation
import PostgresNIO

/// The SQL of the alert engine's reads: a time range, a dimension filter and a grouping over a
/// table keyed like `dl_windows`. Column names come from ``AlertDimension`` and the counter and
/// metric registries, never from rule text; values are bound.
struct AlertQuerySQL {
    var binds = PostgresBindings()
    private var conditions: [String] = []
    private var nextParameter = 1

    /// Windows starting in `[start, end)`, matching `filter`.
    init(start: Date, end: Date, filter: DimensionFilter) {
        conditions.append("window_start >= to_timestamp(\(bind(start.timeIntervalSince1970))::float8)")
        conditions.append("window_start < to_timestamp(\(bind(end.timeIntervalSince1970))::float8)")
        for (dimension, values) in filter.allowedValues.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            conditions.append("\(Self.column(dimension)) = ANY(\(bind(values.sorted()))::text[])")
        }
    }

    /// Adds `$n` for `value` and returns its placeholder.
    mutating func bind(_ value: some PostgresNonThrowingEncodable & Sendable) -> String {
        binds.append(value)
        defer { nextParameter += 1 }
        return "$\(nextParameter)"
    }

    mutating func addCondition(_ condition: String) { conditions.append(condition) }

    var whereClause: String { conditions.joined(separator: " AND ") }

    /// `SELECT <group as JSON>, <selections> FROM table WHERE … GROUP BY 1`.
    func query(selecting selections: [String], from table: String, groupBy: [AlertDimension]) -> PostgresQuery {
        let grouping = AggregateStore.groupingJSON(groupBy.compactMap { Dimension(rawValue: $0.rawValue) })
        let sql = """
            SELECT \(grouping)::text, \(selections.joined(separator: ", "))
            FROM \(table) WHERE \(whereClause) GROUP BY 1
            """
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    static func column(_ dimension: AlertDimension) -> String {
        Dimension(rawValue: dimension.rawValue)?.column ?? dimension.rawValue
    }

    /// The group of a row from its JSON object (`{"model": "gpt-4o"}`).
    static func group(_ json: String) throws -> AlertGroup {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String] ?? [:]
        var values: [AlertDimension: String] = [:]
        for (name, value) in object {
            if let dimension = AlertDimension(rawValue: name) { values[dimension] = value }
        }
        return AlertGroup(values)
    }
}
