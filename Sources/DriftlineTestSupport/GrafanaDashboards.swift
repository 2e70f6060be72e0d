public import Foundation

/// Every SQL query of the Grafana dashboards in `dashboards/json` — each panel target, each
/// query variable and each annotation — and Grafana's PostgreSQL macros expanded as its
/// datasource expands them, for tests that check and run them.
public struct GrafanaQuery: Sendable {
    public enum Kind: String, Sendable { case panel, variable, annotation }

    public var file: String
    public var title: String
    public var kind: Kind
    /// The panel type (`timeseries`, `table`, `heatmap`, …); `variable` or `annotation` otherwise.
    public var panelType: String
    public var datasourceUID: String?
    public var format: String?
    public var rawQuery: Bool
    public var sql: String

    public var name: String { "\(file): \(title)" }
}

public enum GrafanaDashboards {
    public static var folder: URL { repositoryRoot.appendingPathComponent("dashboards/json") }

    /// The dashboard files: every `.json` in the folder.
    public static func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
    }

    public struct FormatError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func queries() throws -> [GrafanaQuery] {
        var queries: [GrafanaQuery] = []
        for file in try files() {
            let data = try Data(contentsOf: folder.appendingPathComponent(file))
            guard let dashboard = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw FormatError(description: "\(file) is not a JSON object")
            }
            func uid(_ datasource: Any?) -> String? { (datasource as? [String: Any])?["uid"] as? String }
            func collect(_ panels: [[String: Any]]) {
                for panel in panels {
                    let title = panel["title"] as? String ?? "untitled"
                    let type = panel["type"] as? String ?? ""
                    for target in panel["targets"] as? [[String: Any]] ?? [] {
                        queries.append(
                            GrafanaQuery(
                                file: file, title: title, kind: .panel, panelType: type,
                                datasourceUID: uid(target["datasource"]) ?? uid(panel["datasource"]),
                                format: target["format"] as? String, rawQuery: target["rawQuery"] as? Bool ?? false,
                                sql: target["rawSql"] as? String ?? ""))
                    }
                    collect(panel["panels"] as? [[String: Any]] ?? [])
                }
            }
            collect(dashboard["panels"] as? [[String: Any]] ?? [])
            let variables = (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
            for variable in variables where variable["type"] as? String == "query" {
                // Older dashboards keep a variable's SQL as a string, newer ones as {rawSql: …}.
                let query = variable["query"]
                let sql = query as? String ?? (query as? [String: Any])?["rawSql"] as? String ?? ""
                queries.append(
                    GrafanaQuery(
                        file: file, title: "variable \(variable["name"] as? String ?? "?")", kind: .variable,
                        panelType: "variable", datasourceUID: uid(variable["datasource"]), format: "table",
                        rawQuery: true, sql: sql))
            }
            let annotations = (dashboard["annotations"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
            for annotation in annotations where annotation["builtIn"] == nil {
                let target = annotation["target"] as? [String: Any] ?? [:]
                let sql = target["rawSql"] as? String ?? annotation["rawQuery"] as? String ?? ""
                queries.append(
                    GrafanaQuery(
                        file: file, title: "annotation \(annotation["name"] as? String ?? "?")", kind: .annotation,
                        panelType: "annotation",
                        datasourceUID: uid(target["datasource"]) ?? uid(annotation["datasource"]),
                        format: target["format"] as? String ?? "table", rawQuery: true, sql: sql))
            }
        }
        return queries
    }

    /// The template variables of every dashboard, by name.
    public static func variableNames() throws -> [String: Set<String>] {
        var names: [String: Set<String>] = [:]
        for file in try files() {
            let data = try Data(contentsOf: folder.appendingPathComponent(file))
            let dashboard = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            let variables = (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
            names[file] = Set(variables.compactMap { $0["name"] as? String })
        }
        return names
    }

    /// The SQL Grafana's PostgreSQL datasource sends for `sql`: the time range `from`..<`to`
    /// (seconds since the epoch), an interval of `intervalSeconds`, and the template variables
    /// as Grafana renders them for SQL (`'a'`, `'a','b'` for several values, the variable's
    /// allValue `'*'` for All).
    public static func expand(
        _ sql: String, from: Int64, to: Int64, intervalSeconds: Int = 60, variables: [String: String]
    ) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        let start = "'\(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(from))))'"
        let end = "'\(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(to))))'"
        var sql = sql.replacing(#/\$__timeGroupAlias\(\s*([A-Za-z_][A-Za-z0-9_."]*)\s*,\s*[^)]*\)/#) { match in
            "floor(extract(epoch from \(match.1))/\(intervalSeconds))*\(intervalSeconds) AS \"time\""
        }
        sql = sql.replacing(#/\$__timeGroup\(\s*([A-Za-z_][A-Za-z0-9_."]*)\s*,\s*[^)]*\)/#) { match in
            "floor(extract(epoch from \(match.1))/\(intervalSeconds))*\(intervalSeconds)"
        }
        sql = sql.replacing(#/\$__timeFilter\(\s*([A-Za-z_][A-Za-z0-9_."]*)\s*\)/#) { match in
            "\(match.1) BETWEEN \(start) AND \(end)"
        }
        sql = sql.replacingOccurrences(of: "$__timeFrom()", with: start)
        sql = sql.replacingOccurrences(of: "$__timeTo()", with: end)
        sql = sql.replacingOccurrences(of: "$__interval_ms", with: "\(intervalSeconds * 1000)")
        sql = sql.replacingOccurrences(
            of: "$__interval", with: intervalSeconds % 60 == 0 ? "\(intervalSeconds / 60)m" : "\(intervalSeconds)s")
        for (name, value) in variables.sorted(by: { $0.key.count > $1.key.count }) {
            sql = sql.replacingOccurrences(of: "${\(name)}", with: value).replacingOccurrences(
                of: "$\(name)", with: value)
        }
        return sql
    }
}
