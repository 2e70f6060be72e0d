public import DriftlineCore
import DriftlineStats
public import DriftlineStore

/// A categorical feature whose distribution drift compares (PSI over categories): the finish
/// reason (more `length`, more `content_filter`), the error type, a dimension (the model mix of
/// an app, the model versions serving a model) or a free-form label (`label:language`).
public enum CategoricalFeature: Hashable, Sendable, CustomStringConvertible {
    case finishReason
    case errorType
    case dimension(Dimension)
    case label(String)

    /// `finish_reason`, `error_type`, a dimension's name (`model`, `model_version`, `tenant`, …)
    /// or `label:KEY`; nil for anything else (numeric features among them).
    public init?(name: String) {
        switch name {
        case "finish_reason": self = .finishReason
        case "error_type": self = .errorType
        default:
            if name.hasPrefix("label:"), name.count > "label:".count {
                self = .label(String(name.dropFirst("label:".count)))
            } else if let dimension = Dimension(rawValue: name) {
                self = .dimension(dimension)
            } else {
                return nil
            }
        }
    }

    /// As stored in `dl_category_counts.feature` and written in `drift.psi.features`.
    public var name: String {
        switch self {
        case .finishReason: "finish_reason"
        case .errorType: "error_type"
        case .dimension(let dimension): dimension.rawValue
        case .label(let key): "label:\(key)"
        }
    }

    public var description: String { name }

    /// The event's category; "" when it has none (an answer without a finish reason, a request
    /// without an error, a label not set).
    func category(of event: LLMEvent) -> String {
        switch self {
        case .finishReason: event.finishReason ?? ""
        case .errorType: event.status == .error ? event.errorType ?? "unknown" : ""
        case .dimension(let dimension): dimension.value(of: event)
        case .label(let key): event.dimensions.labels[key] ?? ""
        }
    }

    /// The names `drift.psi.features` may use for categorical features, for messages.
    static let names = "finish_reason, error_type, a dimension (model, model_version, …) or label:KEY"
}

/// Counts the categories of categorical features per window and key, in `dl_category_counts`:
/// the distributions categorical drift compares. Mergeable: counts add.
public struct CategoryCounter: EventAnalyser {
    public let dimensions: WindowGrouping
    public let features: [CategoricalFeature]
    public private(set) var counts: [CategoryKey: Int64] = [:]

    public init(dimensions: WindowGrouping, features: [CategoricalFeature] = [.finishReason]) {
        self.dimensions = dimensions
        self.features = features
    }

    public var pendingRows: Int { counts.count }

    public mutating func add(_ event: EnrichedEvent, from partition: SourcePartition) {
        let window = dimensions.key(for: event.event)
        for feature in features {
            let key = CategoryKey(window: window, feature: feature.name, category: feature.category(of: event.event))
            counts[key, default: 0].saturatingAdd(1)
        }
    }

    public mutating func take() -> CategoryCountRows {
        defer { counts = [:] }
        return CategoryCountRows(counts)
    }

    public mutating func restore(_ rows: CategoryCountRows) {
        for (key, count) in rows.counts { counts[key, default: 0].saturatingAdd(count) }
    }

    public mutating func discardUnstored() { counts = [:] }
}
