/// Maps the `kind:` word at the top of a rule file to the decoder of that kind. New kinds (drift, budget)
/// register here instead of being wired into the loader.
public struct AlertRuleKindRegistry: Sendable {
    public typealias Decoder = @Sendable (SpecMapping) throws(AlertSpecError) -> any AlertRule

    private var decoders: [String: Decoder] = [:]

    public init() {}

    /// `slo` (``SLOSpec``), `threshold` (``ThresholdRule``), `budget` (``BudgetRule``) and `drift` (``DriftRule``).
    public static var standard: AlertRuleKindRegistry {
        var registry = AlertRuleKindRegistry()
        registry.register(kind: "slo") { spec throws(AlertSpecError) in try SLOSpec(spec: spec) }
        registry.register(kind: "threshold") { spec throws(AlertSpecError) in try ThresholdRule(spec: spec) }
        registry.register(kind: "budget") { spec throws(AlertSpecError) in try BudgetRule(spec: spec) }
        registry.register(kind: "drift") { spec throws(AlertSpecError) in try DriftRule(spec: spec) }
        return registry
    }

    public mutating func register(kind: String, decoder: @escaping Decoder) {
        decoders[kind] = decoder
    }

    public var kinds: [String] { decoders.keys.sorted() }

    /// Decodes one rule file's text.
    public func decode(yaml text: String, file: String) throws(AlertSpecError) -> any AlertRule {
        let spec = try SpecMapping.parse(yaml: text, file: file)
        let kind = try spec.string("kind", expected: "one of \(kinds.joined(separator: ", "))")
        guard let decoder = decoders[kind] else {
            throw spec.error(
                .unknownKind, key: "kind", expected: "one of \(kinds.joined(separator: ", "))", found: kind)
        }
        return try decoder(spec)
    }
}
