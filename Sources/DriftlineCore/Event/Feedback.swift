// swift-format-ignore-file: UseShorthandTypeNames
// `Optional<T>` rather than `T?` for stored properties: see LLMEvent.swift.

/// A user's or an evaluator's verdict on a response, as the producer reported it.
public struct Feedback: Sendable, Hashable {
    /// A finite number on the producer's own scale (commonly 0…1 or −1/+1).
    public var score: Optional<Double>
    /// A category such as `thumbs_up`.
    public var label: Optional<String>
    public var comment: Optional<String>

    public init(score: Double? = nil, label: String? = nil, comment: String? = nil) {
        self.score = score
        self.label = label
        self.comment = comment
    }
}
