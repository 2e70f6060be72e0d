/// The prices of every known model over time, and the rule that picks one for an event.
///
/// Resolution, for an event with provider P and model M at time T:
/// 1. candidate patterns are those of entries for P, for one of P's aliases (`ProviderAliases`:
///    `azure.ai.openai` → `azure`, `openai`), or for `*`, that match M;
/// 2. the most specific candidate wins: exact before glob before regex, among globs more
///    literal characters first, then an entry naming P before one naming its first alias, …,
///    before a `*` one; an event with no provider matches only `*` entries;
/// 3. of that pattern's entries, the one with the latest `effective_from ≤ T` applies, so a
///    price change never rewrites history. When the winning pattern has no entry in force at T
///    the next candidate is tried.
///
/// Two patterns that tie in step 2 and can match the same name make the catalogue ambiguous,
/// and it refuses to load: for exact names and globs that is decided exactly; for regular
/// expressions (undecidable in general) it is checked against every exact name in the
/// catalogue and each regex entry's `examples`.
public struct PriceCatalogue: Sendable {
    /// All entries of one provider and pattern, sorted by `effectiveFrom`.
    public struct History: Sendable {
        public var provider: String
        public var model: ModelPattern
        public var entries: [ModelPrice]
        /// Names a regex entry declares it must match (used for the ambiguity check).
        public var examples: [String]
    }

    public private(set) var histories: [History]
    /// How event providers map to the catalogue's (`google` → `gemini`); see `ProviderAliases`.
    public var providerAliases = ProviderAliases.standard

    public init(_ prices: [ModelPrice], regexExamples: [ModelPattern: [String]] = [:]) throws(PriceCatalogueError) {
        var byKey: [HistoryKey: Int] = [:]
        var histories: [History] = []
        for price in prices {
            let key = HistoryKey(provider: price.provider, model: price.model)
            if let index = byKey[key] {
                if let clash = histories[index].entries.first(where: { $0.effectiveFrom == price.effectiveFrom }) {
                    throw PriceCatalogueError(
                        key: price.location,
                        "\(price.model) for provider \(price.provider) from \(price.effectiveFrom.dateString) is "
                            + "already priced by \(clash.location); keep one entry per effective_from")
                }
                histories[index].entries.append(price)
            } else {
                byKey[key] = histories.count
                histories.append(
                    History(
                        provider: price.provider, model: price.model, entries: [price],
                        examples: regexExamples[price.model] ?? []))
            }
        }
        for index in histories.indices {
            histories[index].entries.sort { $0.effectiveFrom < $1.effectiveFrom }
        }
        try Self.checkAmbiguity(histories)
        self.histories = histories
        self.ordered = histories.indices.sorted { Self.precedes(histories[$0], histories[$1]) }
    }

    /// Indices into `histories`, most specific first.
    private let ordered: [Int]

    private struct HistoryKey: Hashable {
        var provider: String
        var model: ModelPattern
    }

    static func precedes(_ a: History, _ b: History) -> Bool {
        specificity(a) < specificity(b)
    }

    private static func specificity(_ history: History) -> (Int, Int, Int) {
        (history.model.rank, -history.model.literalCount, history.provider == "*" ? 1 : 0)
    }

    private static func checkAmbiguity(_ histories: [History]) throws(PriceCatalogueError) {
        let exactNames = histories.compactMap { history -> String? in
            if case .exact(let name) = history.model { return name }
            return nil
        }
        for (i, a) in histories.enumerated() {
            if case .regex(let regex) = a.model {
                for example in a.examples where !regex.matches(example) {
                    throw PriceCatalogueError(
                        key: a.entries[0].location,
                        "model_regex \(regex.source) does not match its own example \"\(example)\"")
                }
            }
            for b in histories[(i + 1)...] where specificity(a) == specificity(b) && a.provider == b.provider {
                if let name = overlap(a, b, exactNames: exactNames) {
                    throw PriceCatalogueError(
                        key: b.entries[0].location,
                        "\(b.model) and \(a.model) (\(a.entries[0].location)) are equally specific and both match "
                            + "\(name) for provider \(a.provider); make one of them more specific")
                }
            }
        }
    }

    /// A name both patterns match, described, or nil when they cannot overlap.
    private static func overlap(_ a: History, _ b: History, exactNames: [String]) -> String? {
        switch (a.model, b.model) {
        case (.glob(let x), .glob(let y)):
            return Glob.intersect(Array(x.unicodeScalars), Array(y.unicodeScalars)) ? "some model name" : nil
        case (.regex, .regex):
            let probes = exactNames + a.examples + b.examples
            return probes.first { a.model.matches($0) && b.model.matches($0) }.map { "\"\($0)\"" }
        default:
            // Two exact names tie only when equal, and equal ones share a history.
            return nil
        }
    }

    /// The price in force for the event's provider and model at its start, or nil (unpriced).
    public func price(provider: String, model: String, at time: EventTime) -> ModelPrice? {
        for history in candidates(provider: provider, model: model) {
            if let price = history.entries.last(where: { $0.effectiveFrom <= time }) { return price }
        }
        return nil
    }

    /// Every pattern that matches, most specific first. The provider as reported (in any case)
    /// and `*` entries come first; the provider's aliases are tried, in order, only when nothing
    /// matches it, so an entry written for the provider or for every provider always wins over
    /// the price of another provider it stands for.
    public func candidates(provider: String, model: String) -> [History] {
        let chain = providerAliases.chain(for: provider)
        let reported = provider.lowercased()
        func rank(_ history: History) -> Int { chain.firstIndex(of: history.provider) ?? chain.count }
        func specificFirst(_ matching: [History]) -> [History] {
            // `ordered` already puts a provider's entry before a `*` one of equal specificity.
            matching.enumerated().sorted { a, b in
                let (x, y) = (a.element.model, b.element.model)
                if x.rank != y.rank { return x.rank < y.rank }
                if x.literalCount != y.literalCount { return x.literalCount > y.literalCount }
                let (p, q) = (rank(a.element), rank(b.element))
                return p != q ? p < q : a.offset < b.offset
            }.map(\.element)
        }
        let matching = ordered.map { histories[$0] }.filter { history in
            (history.provider == "*" || chain.contains(history.provider)) && history.model.matches(model)
        }
        let own = matching.filter { $0.provider == "*" || $0.provider.lowercased() == reported }
        if !own.isEmpty { return specificFirst(own) }
        // Among the aliases, the earlier one in the chain wins, then the more specific pattern.
        let byAlias = Dictionary(grouping: matching, by: rank)
        return byAlias.keys.sorted().flatMap { specificFirst(byAlias[$0] ?? []) }
    }

    /// The event's cost, or nil when no price applies: an unpriced event is never 0.
    public func cost(of event: LLMEvent) -> Money? {
        price(provider: event.provider, model: event.model, at: event.start)?.cost(of: event.tokens)
    }

    public var isEmpty: Bool { histories.isEmpty }
}

/// A price catalogue that cannot be used: where (file, entry, key) and why.
public struct PriceCatalogueError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String?
    public var key: String
    public var message: String

    public init(file: String? = nil, key: String, _ message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String {
        let place = [file, key.isEmpty ? nil : key].compactMap { $0 }.joined(separator: ": ")
        return place.isEmpty ? message : "\(place): \(message)"
    }
}

extension EventTime {
    /// `YYYY-MM-DD` of the UTC day.
    public var dateString: String { String(rfc3339.prefix(10)) }
}

extension PriceCatalogue {
    /// Legal overlaps worth knowing about: a less specific pattern that also matches names a
    /// more specific one takes (e.g. a glob over an exact name), described for people.
    public func shadowedPatterns() -> [String] {
        var out: [String] = []
        let exactNames = histories.compactMap { history -> String? in
            if case .exact(let name) = history.model { return name }
            return nil
        }
        for a in histories {
            for b in histories where Self.precedes(a, b) {
                guard a.provider == b.provider || a.provider == "*" || b.provider == "*" else { continue }
                let overlaps: Bool
                switch (a.model, b.model) {
                case (.exact(let name), _): overlaps = b.model.matches(name)
                case (.glob(let x), .glob(let y)):
                    overlaps = Glob.intersect(Array(x.unicodeScalars), Array(y.unicodeScalars))
                default:
                    overlaps = (exactNames + a.examples + b.examples).contains {
                        a.model.matches($0) && b.model.matches($0)
                    }
                }
                if overlaps {
                    out.append(
                        "\(a.model) (\(a.entries[0].location), provider \(a.provider)) takes precedence over "
                            + "\(b.model) (\(b.entries[0].location), provider \(b.provider)) where both match")
                }
            }
        }
        return out
    }
}
