import Foundation

/// A counter of the ``StoredCounter`` registry as an SLI names it: `requests`, `ttft_at_or_below_ms(1500)`.
public struct CounterReference: Hashable, Sendable, CustomStringConvertible {
    public let counter: StoredCounter
    /// The threshold of a thresholded counter, in milliseconds; nil for the others.
    public let thresholdMilliseconds: Double?

    public init(_ counter: StoredCounter, thresholdMilliseconds: Double? = nil) {
        self.counter = counter
        self.thresholdMilliseconds = thresholdMilliseconds
    }

    public var description: String {
        guard let thresholdMilliseconds else { return counter.name }
        return "\(counter.name)(\(Self.formatNumber(thresholdMilliseconds)))"
    }

    /// `1500` rather than `1500.0`, so templates and descriptions read as written.
    static func formatNumber(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// Reads `name` or `name(threshold)`; nil with the reason when the text is not a registered counter.
    public static func parse(_ text: String) -> Result<CounterReference, ParseFailure> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var name = trimmed
        var threshold: Double?
        if let open = trimmed.firstIndex(of: "("), trimmed.hasSuffix(")") {
            name = String(trimmed[..<open])
            let argument = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
            guard let value = Double(argument.trimmingCharacters(in: .whitespaces)), value.isFinite, value > 0 else {
                return .failure(ParseFailure(reason: "a positive threshold in milliseconds inside the parentheses"))
            }
            threshold = value
        }
        guard let counter = StoredCounter.named(name) else {
            let names = StoredCounter.registry.map { $0.takesThreshold ? "\($0.name)(ms)" : $0.name }
            return .failure(ParseFailure(reason: "a stored counter: \(names.joined(separator: ", "))"))
        }
        if counter.takesThreshold, threshold == nil {
            return .failure(ParseFailure(reason: "\(name)(<milliseconds>) with a threshold"))
        }
        if !counter.takesThreshold, threshold != nil {
            return .failure(ParseFailure(reason: "\(name) without a threshold"))
        }
        return .success(CounterReference(counter, thresholdMilliseconds: threshold))
    }

    public struct ParseFailure: Error, Hashable, Sendable {
        /// What was expected instead, in words.
        public let reason: String
    }
}
