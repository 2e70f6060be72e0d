/// Whether `driftline run` is doing its job, as `/readyz` answers: ready when it owns
/// partitions, its poll loop runs and PostgreSQL answers; otherwise one line saying why not.
public enum Readiness: Sendable, Equatable, CustomStringConvertible {
    case ready(String)
    case notReady(String)

    public var isReady: Bool {
        if case .ready = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .ready(let detail): "ready: \(detail)"
        case .notReady(let reason): "not ready: \(reason)"
        }
    }
}
