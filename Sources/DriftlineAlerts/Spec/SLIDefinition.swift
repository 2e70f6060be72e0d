/// A service level indicator as good events over total events, both counters of the ``StoredCounter`` registry.
/// The error ratio of a window is `(total − good) / total`.
public struct SLIDefinition: Hashable, Sendable, CustomStringConvertible {
    public let good: CounterReference
    public let total: CounterReference
    /// The ``SLIKind`` it was written as, or `ratio`.
    public let kind: String

    public init(good: CounterReference, total: CounterReference, kind: String = "ratio") {
        self.good = good
        self.total = total
        self.kind = kind
    }

    public var description: String { "\(good) / \(total)" }

    /// Reads `sli:`: exactly one of the registered kinds or `ratio`.
    static func read(_ spec: SpecMapping, kinds: [SLIKind] = SLIKind.registry) throws(AlertSpecError) -> SLIDefinition {
        let choices = kinds.map(\.name) + ["ratio"]
        let present = choices.filter { spec.contains($0) }
        guard present.count == 1, let chosen = present.first else {
            let firstUnknown = spec.keys.first { !choices.contains($0) }
            throw spec.error(
                present.isEmpty ? .missingKey : .invalidValue, key: present.last ?? firstUnknown ?? "",
                expected: "exactly one of \(choices.joined(separator: ", "))",
                found: present.count > 1 ? present.joined(separator: " and ") : firstUnknown)
        }
        try spec.rejectUnknownKeys()
        if chosen == "ratio" {
            let ratio = try spec.mapping("ratio", expected: "a mapping with good and total counters")
            let good = try counter(ratio, key: "good")
            let total = try counter(ratio, key: "total")
            try ratio.rejectUnknownKeys()
            return SLIDefinition(good: good, total: total)
        }
        let kind = kinds.first { $0.name == chosen }!
        let body = try spec.optionalMapping(chosen) ?? SpecMapping.empty(file: spec.file, path: spec.keyPath(chosen))
        var values: [String: String] = [:]
        for parameter in kind.parameters {
            if let allowed = parameter.allowedValues {
                let value = try body.string(parameter.name, expected: "one of \(allowed.joined(separator: ", "))")
                guard allowed.contains(value) else {
                    throw body.error(
                        .invalidValue, key: parameter.name, expected: "one of \(allowed.joined(separator: ", "))",
                        found: value)
                }
                values[parameter.name] = value
            } else {
                let value = try body.number(parameter.name, expected: "a positive number")
                guard value > 0 else {
                    throw body.error(
                        .invalidValue, key: parameter.name, expected: "a positive number", found: "\(value)")
                }
                values[parameter.name] = CounterReference.formatNumber(value)
            }
        }
        try body.rejectUnknownKeys()
        let goodText = kind.fill(kind.goodTemplate, with: values)
        let totalText = kind.fill(kind.totalTemplate, with: values)
        switch (CounterReference.parse(goodText), CounterReference.parse(totalText)) {
        case (.success(let good), .success(let total)):
            return SLIDefinition(good: good, total: total, kind: kind.name)
        case (.failure(let failure), _), (_, .failure(let failure)):
            throw spec.error(.invalidValue, key: chosen, expected: failure.reason)
        }
    }

    private static func counter(_ spec: SpecMapping, key: String) throws(AlertSpecError) -> CounterReference {
        let text = try spec.string(key, expected: "a stored counter such as requests or ttft_at_or_below_ms(1500)")
        switch CounterReference.parse(text) {
        case .success(let reference): return reference
        case .failure(let failure): throw spec.error(.invalidValue, key: key, expected: failure.reason, found: text)
        }
    }
}
