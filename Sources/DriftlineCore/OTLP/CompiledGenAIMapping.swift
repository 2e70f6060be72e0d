/// `GenAIMapping` turned into one dictionary from attribute key to the fields it can fill, so a
/// span's attributes are read in one pass with one lookup each.
struct CompiledGenAIMapping: Sendable {
    /// The fields of `GenAIMapping`, by index; labels follow at `Field.labelBase + n`.
    enum Field: Int, CaseIterable {
        case operation, model, modelVersion, provider, requestID
        case inputTokens, outputTokens, totalTokens, cachedInputTokens, cacheWriteTokens, reasoningTokens
        case finishReason, ttft, tpot, endToEnd, errorType, httpStatus
        case app, environment, route, tenant, user, team

        static let labelBase = allCases.count
    }

    struct Slot: Sendable {
        var field: Int
        /// Position of the key in its field's list: lower wins.
        var rank: Int
    }

    let slots: [String: [Slot]]
    let labelNames: [String]
    let firstTokenEvents: Set<String>
    let promptContent: GenAIMapping.IndexedAttribute
    let responseContent: GenAIMapping.IndexedAttribute
    let retrievalDocuments: GenAIMapping.IndexedAttribute
    let llmOperations: Set<String>
    let operationAliases: [String: String]
    let inputTokensExcludeCache: Set<String>
    var fieldCount: Int { Field.labelBase + labelNames.count }

    init(_ mapping: GenAIMapping) {
        var slots: [String: [Slot]] = [:]
        func add(_ keys: [String], _ field: Int) {
            for (rank, key) in keys.enumerated() { slots[key, default: []].append(Slot(field: field, rank: rank)) }
        }
        let lists: [(Field, [String])] = [
            (.operation, mapping.operation), (.model, mapping.model), (.modelVersion, mapping.modelVersion),
            (.provider, mapping.provider), (.requestID, mapping.requestID), (.inputTokens, mapping.inputTokens),
            (.outputTokens, mapping.outputTokens), (.totalTokens, mapping.totalTokens),
            (.cachedInputTokens, mapping.cachedInputTokens), (.cacheWriteTokens, mapping.cacheWriteTokens),
            (.reasoningTokens, mapping.reasoningTokens), (.finishReason, mapping.finishReason),
            (.ttft, mapping.timeToFirstTokenSeconds), (.tpot, mapping.timePerOutputTokenSeconds),
            (.endToEnd, mapping.endToEndSeconds), (.errorType, mapping.errorType), (.httpStatus, mapping.httpStatus),
            (.app, mapping.app), (.environment, mapping.environment), (.route, mapping.route),
            (.tenant, mapping.tenant), (.user, mapping.user), (.team, mapping.team),
        ]
        for (field, keys) in lists { add(keys, field.rawValue) }
        let labels = mapping.labels.keys.sorted()
        for (index, label) in labels.enumerated() { add(mapping.labels[label] ?? [], Field.labelBase + index) }
        self.slots = slots
        self.labelNames = labels
        self.firstTokenEvents = Set(mapping.firstTokenEvents)
        self.promptContent = mapping.promptContent
        self.responseContent = mapping.responseContent
        self.retrievalDocuments = mapping.retrievalDocuments
        self.llmOperations = mapping.llmOperations
        self.operationAliases = mapping.operationAliases
        self.inputTokensExcludeCache = mapping.inputTokensExcludeCache
    }
}
