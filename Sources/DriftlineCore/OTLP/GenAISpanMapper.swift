import Foundation

/// Maps the spans of one decoded `ExportTraceServiceRequest` to events and span summaries,
/// validating every span. One mapper serves one record; its buffers are reused span to span.
struct GenAISpanMapper {
    typealias Field = CompiledGenAIMapping.Field
    private static let none = Int.max

    let mapping: CompiledGenAIMapping
    let keepText: Bool

    // Per field: the index of the attribute that fills it and that attribute's rank (key
    // position × 2, + 1 for a resource attribute, so a span attribute wins over the resource's
    // for the same key, and an earlier key wins over a later one).
    private var spanIndex: [Int]
    private var spanRank: [Int]
    private var resourceIndex: [Int]
    private var resourceRank: [Int]
    private var spanAttributes: [OTLPKeyValue] = []
    private var resourceAttributes: [OTLPKeyValue] = []
    private var prompts: [(Int, String)] = []
    private var responses: [(Int, String)] = []
    private var documents: [(Int, String)] = []
    /// Where the span being mapped is, for error messages.
    private var position = (resource: 0, scope: 0, span: 0)
    /// The span being mapped, named in error messages (built only when one is thrown).
    private var spanName = ""
    private var spanHexID: String?

    init(mapping: CompiledGenAIMapping, keepText: Bool) {
        self.mapping = mapping
        self.keepText = keepText
        let count = mapping.fieldCount
        spanIndex = Array(repeating: 0, count: count)
        spanRank = Array(repeating: Self.none, count: count)
        resourceIndex = Array(repeating: 0, count: count)
        resourceRank = Array(repeating: Self.none, count: count)
    }

    /// A retrieval span's documents, waiting to become the context of the trace's later model calls.
    private struct Retrieval {
        var traceID: String
        var start: EventTime
        var end: EventTime
        var documents: [String]
    }

    mutating func map(_ request: OTLPExportRequest, hexIDs: Bool) throws(DecodeError) -> OTLPBatch {
        var batch = OTLPBatch()
        var retrievals: [Retrieval] = []
        for (r, resourceSpans) in request.resourceSpans.enumerated() {
            resourceAttributes = resourceSpans.resource.attributes
            for field in 0..<resourceRank.count { resourceRank[field] = Self.none }
            for (index, attribute) in resourceAttributes.enumerated() {
                guard let slots = mapping.slots[attribute.key] else { continue }
                for slot in slots where slot.rank * 2 + 1 < resourceRank[slot.field] {
                    resourceRank[slot.field] = slot.rank * 2 + 1
                    resourceIndex[slot.field] = index
                }
            }
            for (s, scopeSpans) in resourceSpans.scopeSpans.enumerated() {
                for (i, span) in scopeSpans.spans.enumerated() {
                    position = (r, s, i)
                    try mapSpan(span, hexIDs: hexIDs, into: &batch, retrievals: &retrievals)
                }
            }
        }
        if keepText && !retrievals.isEmpty { attachContext(retrievals, to: &batch.events) }
        return batch
    }

    // MARK: One span

    private mutating func mapSpan(
        _ span: OTLPSpan, hexIDs: Bool, into batch: inout OTLPBatch, retrievals: inout [Retrieval]
    ) throws(DecodeError) {
        spanName = span.name
        spanHexID = nil
        let traceID = try id(span.traceID, bytes: 16, hexIDs: hexIDs, name: hexIDs ? "traceId" : "trace_id")
        let spanID = try id(span.spanID, bytes: 8, hexIDs: hexIDs, name: hexIDs ? "spanId" : "span_id")
        spanHexID = spanID
        if !span.parentSpanID.isEmpty {
            _ = try id(span.parentSpanID, bytes: 8, hexIDs: hexIDs, name: hexIDs ? "parentSpanId" : "parent_span_id")
        }
        if case .UNRECOGNIZED(let value) = span.kind {
            throw fail(.unknownEnumValue, "kind", "kind \(value) is not a SpanKind (0…5)")
        }
        if case .UNRECOGNIZED(let value) = span.status.code {
            throw fail(.unknownEnumValue, "status.code", "status.code \(value) is not a StatusCode (0…2)")
        }
        guard span.startTimeUnixNano > 0 else {
            throw fail(.missingField, "start_time_unix_nano", "start_time_unix_nano is not set")
        }
        guard span.endTimeUnixNano > 0 else {
            throw fail(.missingField, "end_time_unix_nano", "end_time_unix_nano is not set")
        }
        let start = Self.time(nanoseconds: span.startTimeUnixNano)
        var end = Self.time(nanoseconds: span.endTimeUnixNano)
        guard span.endTimeUnixNano >= span.startTimeUnixNano else {
            throw fail(.invalidValue, "end_time_unix_nano", "end (\(end)) is before start (\(start))")
        }

        resolveAttributes(span.attributes)
        var operation = try string(.operation)
        if let name = operation, let alias = mapping.operationAliases[name] { operation = alias }
        let isModelCall = operation.map { mapping.llmOperations.contains($0) } ?? (present(.model))
        let errorType = try string(.errorType)
        let isError = span.status.code == .error || errorType != nil
        let app = try scalar(.app) ?? ""
        let environment = try scalar(.environment) ?? ""

        guard isModelCall else {
            batch.otherSpans.append(
                OTLPSpanSummary(
                    operation: operation ?? OTLPSpanSummary.otherOperation, app: app, environment: environment,
                    start: start, isError: isError))
            if keepText && !documents.isEmpty {
                retrievals.append(
                    Retrieval(traceID: traceID, start: start, end: end, documents: Self.joinedInOrder(documents)))
            }
            return
        }

        guard let model = try string(.model), !model.isEmpty else {
            throw fail(
                .missingField, "attributes",
                "a model call (\(operation ?? "no gen_ai.operation.name")) has no model attribute; expected one of "
                    + "the configured model keys, e.g. gen_ai.request.model")
        }
        let provider = try string(.provider)?.lowercased() ?? ""
        let tokens = try tokenCounts(provider: provider)
        var dimensions = Dimensions(
            app: app, route: try scalar(.route) ?? "", tenant: try scalar(.tenant) ?? "",
            user: try scalar(.user) ?? "", team: try scalar(.team) ?? "", environment: environment,
            modelVersion: try string(.modelVersion) ?? "")
        if let operation { dimensions.labels["operation"] = operation }
        for (offset, label) in mapping.labelNames.enumerated() {
            if let value = try scalar(Field.labelBase + offset) { dimensions.labels[label] = value }
        }
        if let seconds = try seconds(.endToEnd) { end = start.advanced(byMicroseconds: seconds) }

        var firstToken: EventTime?
        if let seconds = try seconds(.ttft) {
            firstToken = start.advanced(byMicroseconds: seconds)
        } else if let event = span.events.first(where: { mapping.firstTokenEvents.contains($0.name) }) {
            firstToken = Self.time(nanoseconds: event.timeUnixNano)
        } else if let perToken = try secondsAsDouble(.tpot), tokens.output > 1 {
            let micros = (perToken * 1_000_000 * Double(tokens.output - 1)).rounded()
            firstToken = end.advanced(byMicroseconds: -Int64(micros))
        }
        if let first = firstToken, first < start || first > end {
            throw fail(
                .invalidValue, "attributes",
                "first token (\(first)) is outside [start, end] (\(start), \(end))")
        }
        var httpStatus: Int?
        if let status = try integer(.httpStatus) {
            guard (100...599).contains(status) else {
                throw fail(.invalidValue, key(.httpStatus), "\(key(.httpStatus)) must be in 100...599, got \(status)")
            }
            httpStatus = Int(status)
        }
        var event = LLMEvent(
            requestID: try string(.requestID), traceID: traceID, spanID: spanID, start: start, firstToken: firstToken,
            end: end, model: model, provider: provider, dimensions: dimensions,
            tokens: tokens, status: isError ? .error : .ok, errorType: errorType, httpStatus: httpStatus,
            finishReason: try finishReason())
        if keepText {
            if !prompts.isEmpty { event.prompt = Self.joinedInOrder(prompts).joined(separator: "\n") }
            if !responses.isEmpty { event.response = Self.joinedInOrder(responses).joined(separator: "\n") }
        }
        batch.events.append(event)
    }

    /// Reads the span's attributes once: mapped keys into their fields, indexed text when kept.
    private mutating func resolveAttributes(_ attributes: [OTLPKeyValue]) {
        spanAttributes = attributes
        for field in 0..<spanRank.count { spanRank[field] = Self.none }
        if keepText {
            prompts.removeAll(keepingCapacity: true)
            responses.removeAll(keepingCapacity: true)
            documents.removeAll(keepingCapacity: true)
        }
        for (index, attribute) in attributes.enumerated() {
            if let slots = mapping.slots[attribute.key] {
                for slot in slots where slot.rank * 2 < spanRank[slot.field] {
                    spanRank[slot.field] = slot.rank * 2
                    spanIndex[slot.field] = index
                }
            } else if keepText, case .stringValue(let text)? = attribute.value.value {
                if let n = mapping.promptContent.index(of: attribute.key) {
                    prompts.append((n, text))
                } else if let n = mapping.responseContent.index(of: attribute.key) {
                    responses.append((n, text))
                } else if let n = mapping.retrievalDocuments.index(of: attribute.key) {
                    documents.append((n, text))
                }
            }
        }
    }

    private static func joinedInOrder(_ parts: [(Int, String)]) -> [String] {
        parts.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Documents retrieved in a trace become the context of each of the trace's chat or
    /// completion calls that started after the retrieval ended (not of embeddings calls).
    private func attachContext(_ retrievals: [Retrieval], to events: inout [LLMEvent]) {
        let byTrace = Dictionary(grouping: retrievals, by: \.traceID)
        for index in events.indices {
            guard let traceID = events[index].traceID, let found = byTrace[traceID],
                events[index].dimensions.labels["operation"] != "embeddings"
            else { continue }
            let documents = found.filter { $0.end <= events[index].start }.sorted { $0.start < $1.start }
                .flatMap(\.documents)
            if !documents.isEmpty { events[index].context = documents }
        }
    }

    // MARK: Values

    private func lookup(_ field: Int) -> OTLPKeyValue? {
        let fromSpan = spanRank[field]
        let fromResource = resourceRank[field]
        if fromSpan == Self.none && fromResource == Self.none { return nil }
        return fromSpan < fromResource ? spanAttributes[spanIndex[field]] : resourceAttributes[resourceIndex[field]]
    }

    private func present(_ field: Field) -> Bool { lookup(field.rawValue) != nil }

    private func key(_ field: Field) -> String { lookup(field.rawValue)?.key ?? "\(field)" }

    private func string(_ field: Field) throws(DecodeError) -> String? {
        guard let attribute = lookup(field.rawValue) else { return nil }
        guard case .stringValue(let text)? = attribute.value.value else {
            throw fail(
                .wrongType, attribute.key, "\(attribute.key) must be a string, got \(Self.describe(attribute.value))")
        }
        return text
    }

    /// A dimension or label: a string, or a number or boolean written as text.
    private func scalar(_ field: Field) throws(DecodeError) -> String? { try scalar(field.rawValue) }

    private func scalar(_ field: Int) throws(DecodeError) -> String? {
        guard let attribute = lookup(field) else { return nil }
        switch attribute.value.value {
        case .stringValue(let text)?: return text
        case .intValue(let value)?: return String(value)
        case .boolValue(let value)?: return String(value)
        case .doubleValue(let value)? where value.isFinite: return String(value)
        default:
            throw fail(
                .wrongType, attribute.key,
                "\(attribute.key) must be a string, number or boolean, got \(Self.describe(attribute.value))")
        }
    }

    /// An integer attribute; a double with no fraction is accepted (JavaScript exporters).
    private func integer(_ field: Field) throws(DecodeError) -> Int64? {
        guard let attribute = lookup(field.rawValue) else { return nil }
        switch attribute.value.value {
        case .intValue(let value)?: return value
        case .doubleValue(let value)? where value.rounded() == value && abs(value) < 9.0e15: return Int64(value)
        default:
            throw fail(
                .wrongType, attribute.key, "\(attribute.key) must be an integer, got \(Self.describe(attribute.value))")
        }
    }

    private func count(_ field: Field) throws(DecodeError) -> Int64? {
        guard let value = try integer(field) else { return nil }
        if value < 0 {
            throw fail(.invalidValue, key(field), "\(key(field)) must be a non-negative integer, got \(value)")
        }
        return value
    }

    private func secondsAsDouble(_ field: Field) throws(DecodeError) -> Double? {
        guard let attribute = lookup(field.rawValue) else { return nil }
        let value: Double
        switch attribute.value.value {
        case .doubleValue(let number)?: value = number
        case .intValue(let number)?: value = Double(number)
        default:
            throw fail(
                .wrongType, attribute.key,
                "\(attribute.key) must be a number of seconds, got \(Self.describe(attribute.value))")
        }
        guard value.isFinite, value >= 0, value < 1_000_000 else {
            throw fail(.invalidValue, attribute.key, "\(attribute.key) must be seconds in [0, 1000000), got \(value)")
        }
        return value
    }

    /// Seconds as whole microseconds, rounded to the nearest.
    private func seconds(_ field: Field) throws(DecodeError) -> Int64? {
        try secondsAsDouble(field).map { Int64(($0 * 1_000_000).rounded()) }
    }

    private func finishReason() throws(DecodeError) -> String? {
        guard let attribute = lookup(Field.finishReason.rawValue) else { return nil }
        switch attribute.value.value {
        case .stringValue(let text)?: return text
        case .arrayValue(let array)?:
            guard let first = array.values.first else { return nil }
            guard case .stringValue(let text)? = first.value else {
                throw fail(.wrongType, attribute.key, "\(attribute.key) must hold strings, got \(Self.describe(first))")
            }
            return text
        default:
            throw fail(
                .wrongType, attribute.key,
                "\(attribute.key) must be a string array or a string, got \(Self.describe(attribute.value))")
        }
    }

    /// Totals include their parts, as the GenAI conventions define them; a total missing next to
    /// `llm.usage.total_tokens` is filled in from it.
    private func tokenCounts(provider: String) throws(DecodeError) -> TokenCounts {
        var input = try count(.inputTokens)
        var output = try count(.outputTokens)
        if let total = try count(.totalTokens) {
            if input == nil, let known = output, total >= known { input = total - known }
            if output == nil, let known = input, total >= known { output = total - known }
        }
        var tokens = TokenCounts(
            input: input ?? 0, output: output ?? 0, cachedInput: try count(.cachedInputTokens) ?? 0,
            cacheWrite: try count(.cacheWriteTokens) ?? 0, reasoning: try count(.reasoningTokens) ?? 0)
        if mapping.inputTokensExcludeCache.contains(provider) {
            // This provider's instrumentation reports input without the cache parts: add them.
            do {
                let reasoning = tokens.reasoning
                tokens = try ProviderUsage.anthropic(
                    inputTokens: tokens.input, outputTokens: tokens.output, cacheReadInputTokens: tokens.cachedInput,
                    cacheCreationInputTokens: tokens.cacheWrite)
                tokens.reasoning = reasoning
            } catch {
                throw fail(error.code, key(.inputTokens), error.reason)
            }
        }
        let (parts, overflow) = tokens.cachedInput.addingReportingOverflow(tokens.cacheWrite)
        if overflow || parts > tokens.input {
            throw fail(
                .invalidValue, key(.inputTokens),
                "cache read (\(tokens.cachedInput)) + cache creation (\(tokens.cacheWrite)) tokens exceed the input "
                    + "tokens (\(tokens.input)); gen_ai.usage.input_tokens must include cached tokens")
        }
        if tokens.reasoning > tokens.output {
            throw fail(
                .invalidValue, key(.reasoningTokens),
                "reasoning tokens (\(tokens.reasoning)) exceed the output tokens (\(tokens.output)); "
                    + "gen_ai.usage.output_tokens must include reasoning tokens")
        }
        return tokens
    }

    // MARK: Ids, times, errors

    private func id(_ raw: Data, bytes: Int, hexIDs: Bool, name: String) throws(DecodeError) -> String {
        if hexIDs {
            if let hex = OTLPSpanID.hex(jsonBase64Decoded: raw, hexDigits: bytes * 2) { return hex }
            throw fail(
                .invalidID, name,
                "\(name) must be \(bytes * 2) hexadecimal digits (OTLP/JSON ids are hex, not base64), got "
                    + "\(OTLPSpanID.jsonText(raw).debugDescription)")
        }
        if let hex = OTLPSpanID.hex(bytes: raw, byteCount: bytes) { return hex }
        throw fail(.invalidID, name, "\(name) must be \(bytes) bytes, got \(raw.count)")
    }

    /// Nanoseconds since the epoch as whole microseconds, rounded toward the past.
    static func time(nanoseconds: UInt64) -> EventTime {
        EventTime(microsecondsSinceEpoch: Int64(nanoseconds / 1000))
    }

    private func fail(_ code: DecodeError.Code, _ field: String, _ message: String) -> DecodeError {
        let path = "resourceSpans[\(position.resource)].scopeSpans[\(position.scope)].spans[\(position.span)]"
        let isAttribute = field.contains(".") && field != "status.code"
        return DecodeError(
            code, field: path + (isAttribute ? ".attributes[\(field.debugDescription)]" : ".\(field)"),
            reason: "\(path) (span \(spanHexID.map { $0 + " " } ?? "")\(spanName.debugDescription)): \(message)")
    }

    static func describe(_ value: OTLPAnyValue) -> String {
        switch value.value {
        case .stringValue(let text)?: return "the string \(text.prefix(64).debugDescription)"
        case .intValue(let number)?: return "the integer \(number)"
        case .doubleValue(let number)?: return "the number \(number)"
        case .boolValue(let flag)?: return "\(flag)"
        case .arrayValue?: return "an array"
        case .kvlistValue?: return "a key-value list"
        case .bytesValue?: return "bytes"
        case .stringValueStrindex?: return "a string-table reference"
        case nil: return "an empty value"
        }
    }
}
