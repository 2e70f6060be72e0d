public import Logging
public import PostgresNIO

/// Window aggregates (`dl_windows`).
public struct WindowRows: StoredRows {
    public var windows: [WindowKey: WindowAggregate]

    public init(_ windows: [WindowKey: WindowAggregate]) { self.windows = windows }

    public var table: String { "dl_windows" }
    public var count: Int { windows.count }

    public func write(on connection: PostgresConnection, logger: Logger) async throws {
        try await AggregateStore.upsertWindows(windows, on: connection, logger: logger)
    }

    public func split() -> (WindowRows, WindowRows) {
        let (first, second) = halves(windows)
        return (WindowRows(first), WindowRows(second))
    }

    public func describe() -> String {
        windows.map { "\($0.key): \($0.value.requests) requests" }.joined(separator: "; ")
    }
}
