import DriftlineCore

/// The SQL of the key that every per-window table (`dl_windows`, `dl_costs`,
/// `dl_category_counts`) shares — window start and length, one column per `Dimension`, the
/// labels — written once for the writers' `unnest` upserts, whose arrays
/// `PostgresBindings.appendKeyColumns` binds in the same order.
enum WindowKeySQL {
    /// How many parameters the key takes: `$1` … `$count`.
    static let count = Dimension.allCases.count + 3

    /// The key columns: `window_start, window_seconds, model, …, labels`, for the insert's
    /// column list and `ON CONFLICT`.
    static let columns = columnNames.joined(separator: ", ")

    /// The key columns one by one.
    static let columnNames = ["window_start", "window_seconds"] + dimensionColumns + ["labels"]

    /// The key as selected from the `unnest`: `to_timestamp(ws), wsec, model, …, labels::jsonb`.
    static let selected = (["to_timestamp(ws)", "wsec"] + dimensionColumns + ["labels::jsonb"])
        .joined(separator: ", ")

    /// The key as selected from the `unnest` aliased `alias`, for a query where a table's
    /// columns of the same names are in scope: `to_timestamp(t.ws), t.wsec, t.model, …`.
    static func selected(from alias: String) -> String {
        (["to_timestamp(\(alias).ws)", "\(alias).wsec"] + dimensionColumns.map { "\(alias).\($0)" }
            + ["\(alias).labels::jsonb"]).joined(separator: ", ")
    }

    /// The key as selected from the `unnest` under the columns' names, for a subquery that is
    /// read like the table: `to_timestamp(ws) AS window_start, wsec AS window_seconds, model, …`.
    static let selectedAsColumns =
        (["to_timestamp(ws) AS window_start", "wsec AS window_seconds"]
        + dimensionColumns + ["labels::jsonb AS labels"]).joined(separator: ", ")

    /// The `unnest` column aliases of the key: `ws, wsec, model, …, labels`.
    static let aliases = (["ws", "wsec"] + dimensionColumns + ["labels"]).joined(separator: ", ")

    /// The `unnest` arguments: the key's arrays, then arrays of `types` (`int8`, `text`, …) as
    /// the parameters that follow it.
    static func unnestArguments(_ types: [String]) -> String {
        let all = ["int8", "int4"] + Array(repeating: "text", count: Dimension.allCases.count + 1) + types
        return all.enumerated().map { "$\($0.offset + 1)::\($0.element)[]" }.joined(separator: ", ")
    }

    private static var dimensionColumns: [String] { Dimension.allCases.map(\.column) }
}
