import PostgresNIO

/// How a failed store call should be handled, from the error alone.
public enum StoreFailure {
    public enum Kind: Sendable, Equatable {
        /// PostgreSQL refused the data (SQLSTATE class 22 data exception, 23 integrity
        /// violation, 54 program limit exceeded): writing it again will fail again.
        case data
        /// A deadlock or serialization failure with another writer (40P01, 40001): try again now.
        case conflict
        /// The store cannot be reached or is going away (no server answer at all, class 08
        /// connection exception, 57 operator intervention, 53 insufficient resources): probe
        /// until it answers, then write again.
        case unreachable
        /// Any other server error: retry with back-off and report it.
        case other

        public init(_ error: any Error) {
            guard let error = error as? PSQLError else {
                self = .unreachable
                return
            }
            guard let state = error.serverInfo?[.sqlState] else {
                self = error.code == .server ? .other : .unreachable
                return
            }
            switch state.prefix(2) {
            case "22", "23", "54": self = .data
            case "40" where state == "40P01" || state == "40001": self = .conflict
            case "08", "57", "53": self = .unreachable
            default: self = .other
            }
        }
    }

    /// One line an operator can act on: the server's message and SQLSTATE, or the client-side
    /// cause (connection refused, closed, timed out), never the connection string.
    public static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState] ?? "?"
                var text = "PostgreSQL: \(message) (SQLSTATE \(state))"
                if let detail = error.serverInfo?[.detail] { text += ": \(detail)" }
                return text
            }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        return String(describing: error)
    }
}
