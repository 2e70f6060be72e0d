import Foundation

/// Maps the spans of one serialized `ExportTraceServiceRequest`, as `OTLPWireReader` walks it,
/// to events and span summaries, validating every span. One mapper serves one record; its
/// buffers are reused span to span.
///
/// After the first span that does not map, the rest of the record is still walked but not
/// mapped, so that bytes that are not protobuf later in the record are reported as such, as
/// SwiftProtobuf's decoding (which parses the whole record before anything is mapped) would.
struct GenAISpanMapper: OTLPSpanSink {
    typealias Field = CompiledGenAIMapping.Field
    private static let none = Int.max

    let mapping: CompiledGenAIMapping
    let keepText: Bool
    /// OTLP/JSON ids, which arrive here base64-decoded (see `OTLPSpanID`).
    let hexIDs: Bool
    /// Strings of values that repeat from span to span; nil when another thread has it.
    let cache: DecoderCache?
    let record: WireCursor

    private var batch = OTLPBatch()
    /// The first span that did not map.
    private var failure: DecodeError?
    private var retrievals: [Retrieval] = []

    // Per field: the index of the attribute that fills it and that attribute's rank (key
    // position × 2, + 1 for a resource attribute, so a span attribute wins over the resource's
    // for the same key, and an earlier key wins over a later one).
    private var spanIndex: [Int]
    private var spanRank: [Int]
    private var resourceIndex: [Int]
    private var resourceRank: [Int]
    /// The span being mapped and its resource's attributes: held only during `span(…)`, so
    /// that the reader's buffers stay uniquely referenced and are reused.
    private var spanAttributes: [WireAttribute] = []
    private var resourceAttributes: [WireAttribute] = []
    private var prompts: [(Int, String)] = []
    private var responses: [(Int, String)] = []
    private var documents: [(Int, String)] = []
    /// Where the span being mapped is, for error messages.
    private var position = (resource: 0, scope: 0, span: 0)
    /// The span being mapped, named in error messages (built only when one is thrown).
    private var spanName = WireBytes.empty
    private var spanHexID: String?
    private var lastOperation: (name: String, operation: String, isModelCall: Bool)?
    /// The labels of the last span that had no configured label, by its operation.
    private var lastOperationLabels: (operation: String?, labels: [String: String])?

    init(
        mapping: CompiledGenAIMapping, keepText: Bool, hexIDs: Bool, cache: DecoderCache?,
        record: UnsafeRawBufferPointer
    ) {
        self.mapping = mapping
        self.keepText = keepText
        self.hexIDs = hexIDs
        self.cache = cache
        self.record = WireCursor(record: record)
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

    /// The events and summaries, or the first span's error, once the reader has walked the record.
    func finish() throws(DecodeError) -> OTLPBatch {
        if let failure { throw failure }
        var batch = batch
        if keepText && !retrievals.isEmpty { attachContext(retrievals, to: &batch.events) }
        return batch
    }

    mutating func resource(_ attributes: [WireAttribute], in record: WireCursor) {
        guard failure == nil else { return }
        for field in 0..<resourceRank.count { resourceRank[field] = Self.none }
        for (index, attribute) in attributes.enumerated() {
            _ = Self.rank(
                attribute, at: index, fromResource: true, mapping: mapping, record: record, ranks: &resourceRank,
                indices: &resourceIndex)
        }
    }

    mutating func span(
        _ span: WireSpan, resource: [WireAttribute], at position: (resource: Int, scope: Int, span: Int),
        in record: WireCursor
    ) {
        guard failure == nil else { return }
        self.position = position
        spanAttributes = span.attributes
        resourceAttributes = resource
        defer {
            spanAttributes = []
            resourceAttributes = []
        }
        do {
            try mapSpan(span)
        } catch {
            failure = error
        }
    }

    // MARK: One span

    private mutating func mapSpan(_ span: WireSpan) throws(DecodeError) {
        spanName = span.name
        spanHexID = nil
        let traceID = try id(span.traceID, bytes: 16, name: hexIDs ? "traceId" : "trace_id")
        let spanID = try id(span.spanID, bytes: 8, name: hexIDs ? "spanId" : "span_id")
        spanHexID = spanID
        if span.parentSpanID.count > 0 {
            _ = try id(span.parentSpanID, bytes: 8, name: hexIDs ? "parentSpanId" : "parent_span_id")
        }
        // SpanKind and StatusCode as the protos of `Generated/VERSION` define them.
        guard (0...5).contains(span.kind) else {
            throw fail(.unknownEnumValue, "kind", "kind \(span.kind) is not a SpanKind (0…5)")
        }
        guard (0...2).contains(span.statusCode) else {
            throw fail(.unknownEnumValue, "status.code", "status.code \(span.statusCode) is not a StatusCode (0…2)")
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

        resolveAttributes()
        let operation: String?
        let isModelCall: Bool
        if let name = try string(.operation, cached: true) {
            (operation, isModelCall) = resolve(operation: name)
        } else {
            (operation, isModelCall) = (nil, present(.model))
        }
        let errorType = try string(.errorType)
        let isError = span.statusCode == 2 || errorType != nil  // STATUS_CODE_ERROR
        let app = try scalar(.app) ?? ""
        let environment = try scalar(.environment) ?? ""

        guard isModelCall else {
            let summary = OTLPSpanSummary(
                operation: operation ?? OTLPSpanSummary.otherOperation, app: app, environment: environment,
                start: start, isError: isError)
            if let violation = EventLimits.violation(in: summary) { throw fail(violation) }
            batch.otherSpans.append(summary)
            if keepText && !documents.isEmpty {
                // Checked here, where they are read: they join model calls' context in `finish`.
                for (index, document) in documents {
                    if let problem = EventLimits.textProblem(document) {
                        throw fail(LimitViolation(.context(index), problem))
                    }
                }
                retrievals.append(
                    Retrieval(traceID: traceID, start: start, end: end, documents: Self.joinedInOrder(documents)))
            }
            return
        }

        guard let model = try string(.model, cached: true), !model.isEmpty else {
            throw fail(
                .missingField, "attributes",
                "a model call (\(operation ?? "no gen_ai.operation.name")) has no model attribute; expected one of "
                    + "the configured model keys, e.g. gen_ai.request.model")
        }
        let provider = try string(.provider, cached: true)?.lowercased() ?? ""
        let tokens = try tokenCounts(provider: provider)
        var dimensions = EventDimensions(
            app: app, route: try scalar(.route) ?? "", tenant: try scalar(.tenant) ?? "",
            user: try scalar(.user) ?? "", team: try scalar(.team) ?? "", environment: environment,
            modelVersion: try string(.modelVersion, cached: true) ?? "")
        dimensions.labels = try labels(operation: operation)
        if let seconds = try seconds(.endToEnd) { end = start.advanced(byMicroseconds: seconds) }

        var firstToken: EventTime?
        if let seconds = try seconds(.ttft) {
            firstToken = start.advanced(byMicroseconds: seconds)
        } else if let event = span.events.first(where: { mapping.firstTokenEvents.contains(record.string($0.name)) }) {
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
        if let violation = EventLimits.violation(in: event) { throw fail(violation) }
        batch.events.append(event)
    }

    /// An operation name after its alias, and whether it is a model call; remembered for the
    /// last name, as spans of a batch mostly share it.
    private mutating func resolve(operation name: String) -> (String, Bool) {
        if let last = lastOperation, last.name == name { return (last.operation, last.isModelCall) }
        let operation = mapping.operationAliases[name] ?? name
        let resolved = (name: name, operation: operation, isModelCall: mapping.llmOperations.contains(operation))
        lastOperation = resolved
        return (resolved.operation, resolved.isModelCall)
    }

    /// The operation and the configured labels. Spans of a batch mostly share them, so the last
    /// dictionary made is given again (shared, copy-on-write) while they repeat.
    private mutating func labels(operation: String?) throws(DecodeError) -> [String: String] {
        var labels: [String: String] = [:]
        var onlyOperation = true
        for (offset, label) in mapping.labelNames.enumerated() {
            guard let value = try scalar(Field.labelBase + offset) else { continue }
            if onlyOperation {
                onlyOperation = false
                if let operation { labels["operation"] = operation }
            }
            labels[label] = value
        }
        guard onlyOperation else { return labels }
        if let last = lastOperationLabels, last.operation == operation { return last.labels }
        if let operation { labels["operation"] = operation }
        lastOperationLabels = (operation, labels)
        return labels
    }

    /// Enters the attribute at `index` into the fields its key fills where it outranks what they
    /// hold (see `spanRank`); false when its key fills none.
    @inline(__always)
    private static func rank(
        _ attribute: WireAttribute, at index: Int, fromResource: Bool, mapping: CompiledGenAIMapping,
        record: WireCursor, ranks: inout [Int], indices: inout [Int]
    ) -> Bool {
        let slots = mapping.slots.slots(record.base + attribute.key.start, attribute.key.count)
        for position in slots {
            let slot = mapping.slots.slotList[position]
            let rank = slot.rank * 2 + (fromResource ? 1 : 0)
            if rank < ranks[slot.field] {
                ranks[slot.field] = rank
                indices[slot.field] = index
            }
        }
        return !slots.isEmpty
    }

    /// Reads the span's attributes once: mapped keys into their fields, indexed text when kept.
    private mutating func resolveAttributes() {
        for field in 0..<spanRank.count { spanRank[field] = Self.none }
        if keepText {
            prompts.removeAll(keepingCapacity: true)
            responses.removeAll(keepingCapacity: true)
            documents.removeAll(keepingCapacity: true)
        }
        for (index, attribute) in spanAttributes.enumerated() {
            let mapped = Self.rank(
                attribute, at: index, fromResource: false, mapping: mapping, record: record, ranks: &spanRank,
                indices: &spanIndex)
            if !mapped, keepText, case .string(let bytes) = attribute.value {
                let key = record.raw(attribute.key)
                if let n = mapping.promptContent.index(of: key) {
                    prompts.append((n, record.string(bytes)))
                } else if let n = mapping.responseContent.index(of: key) {
                    responses.append((n, record.string(bytes)))
                } else if let n = mapping.retrievalDocuments.index(of: key) {
                    documents.append((n, record.string(bytes)))
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

    @inline(__always)
    private func lookup(_ field: Int) -> WireAttribute? {
        let fromSpan = spanRank[field]
        let fromResource = resourceRank[field]
        if fromSpan == Self.none && fromResource == Self.none { return nil }
        return fromSpan < fromResource ? spanAttributes[spanIndex[field]] : resourceAttributes[resourceIndex[field]]
    }

    private func present(_ field: Field) -> Bool { lookup(field.rawValue) != nil }

    private func key(_ field: Field) -> String { lookup(field.rawValue).map { record.string($0.key) } ?? "\(field)" }

    /// The attribute key a label was read from (`operation` is the operation's own).
    private func key(label: String) -> String {
        guard label != "operation", let offset = mapping.labelNames.firstIndex(of: label),
            let attribute = lookup(Field.labelBase + offset)
        else { return key(.operation) }
        return record.string(attribute.key)
    }

    /// A string attribute. `cached`: a value that repeats from span to span (model, provider,
    /// dimensions), made through the decoder's string cache; ids and other one-off values are not.
    private func string(_ field: Field, cached: Bool = false) throws(DecodeError) -> String? {
        guard let attribute = lookup(field.rawValue) else { return nil }
        guard case .string(let bytes) = attribute.value else {
            let key = record.string(attribute.key)
            throw fail(.wrongType, key, "\(key) must be a string, got \(describe(attribute.value))")
        }
        return cached ? text(bytes) : record.string(bytes)
    }

    private func text(_ bytes: WireBytes) -> String {
        guard let cache, bytes.count <= DecoderCache.maxLength else { return record.string(bytes) }
        return DecoderCache.string(
            record.base.assumingMemoryBound(to: UInt8.self) + bytes.start, length: bytes.count,
            readable: record.end - bytes.start, table: cache.entries)
    }

    /// A dimension or label: a string, or a number or boolean written as text.
    private func scalar(_ field: Field) throws(DecodeError) -> String? { try scalar(field.rawValue) }

    private func scalar(_ field: Int) throws(DecodeError) -> String? {
        guard let attribute = lookup(field) else { return nil }
        switch attribute.value {
        case .string(let bytes): return text(bytes)
        case .int(let value): return String(value)
        case .bool(let value): return String(value)
        case .double(let value) where value.isFinite: return String(value)
        default:
            let key = record.string(attribute.key)
            throw fail(
                .wrongType, key, "\(key) must be a string, number or boolean, got \(describe(attribute.value))")
        }
    }

    /// An integer attribute; a double with no fraction is accepted (JavaScript exporters).
    private func integer(_ field: Field) throws(DecodeError) -> Int64? {
        guard let attribute = lookup(field.rawValue) else { return nil }
        switch attribute.value {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9.0e15: return Int64(value)
        default:
            let key = record.string(attribute.key)
            throw fail(.wrongType, key, "\(key) must be an integer, got \(describe(attribute.value))")
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
        switch attribute.value {
        case .double(let number): value = number
        case .int(let number): value = Double(number)
        default:
            let key = record.string(attribute.key)
            throw fail(.wrongType, key, "\(key) must be a number of seconds, got \(describe(attribute.value))")
        }
        guard value.isFinite, value >= 0, value < 1_000_000 else {
            let key = record.string(attribute.key)
            throw fail(.invalidValue, key, "\(key) must be seconds in [0, 1000000), got \(value)")
        }
        return value
    }

    /// Seconds as whole microseconds, rounded to the nearest.
    private func seconds(_ field: Field) throws(DecodeError) -> Int64? {
        try secondsAsDouble(field).map { Int64(($0 * 1_000_000).rounded()) }
    }

    private func finishReason() throws(DecodeError) -> String? {
        guard let attribute = lookup(Field.finishReason.rawValue) else { return nil }
        switch attribute.value {
        case .string(let bytes): return text(bytes)
        case .array(let array):
            guard let first = OTLPWireReader.firstElement(of: array, in: record) else { return nil }
            guard case .string(let bytes) = first else {
                let key = record.string(attribute.key)
                throw fail(.wrongType, key, "\(key) must hold strings, got \(describe(first))")
            }
            return text(bytes)
        default:
            let key = record.string(attribute.key)
            throw fail(
                .wrongType, key, "\(key) must be a string array or a string, got \(describe(attribute.value))")
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

    private func id(_ bytes: WireBytes, bytes count: Int, name: String) throws(DecodeError) -> String {
        let raw = record.raw(bytes)
        if hexIDs {
            if let hex = OTLPSpanID.hex(jsonBase64Decoded: raw, hexDigits: count * 2) { return hex }
            throw fail(
                .invalidID, name,
                "\(name) must be \(count * 2) hexadecimal digits (OTLP/JSON ids are hex, not base64), got "
                    + "\(OTLPSpanID.jsonText(raw).debugDescription)")
        }
        if let hex = OTLPSpanID.hex(bytes: raw, byteCount: count) { return hex }
        throw fail(.invalidID, name, "\(name) must be \(count) bytes, got \(raw.count)")
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
            reason:
                "\(path) (span \(spanHexID.map { $0 + " " } ?? "")\(EventLimits.quoted(record.string(spanName)))): \(message)"
        )
    }

    /// A limit of `EventLimits` broken, named by the attribute the value came from.
    private func fail(_ violation: LimitViolation) -> DecodeError {
        let name = name(of: violation.field)
        return fail(violation.code, name, "\(name) \(violation.detail)")
    }

    private func name(of field: EventField) -> String {
        switch field {
        case .requestID: key(.requestID)
        case .traceID: hexIDs ? "traceId" : "trace_id"
        case .spanID: hexIDs ? "spanId" : "span_id"
        case .dimension(let dimension):
            switch dimension {
            case .model: key(.model)
            case .provider: key(.provider)
            case .app: key(.app)
            case .route: key(.route)
            case .tenant: key(.tenant)
            case .user: key(.user)
            case .team: key(.team)
            case .environment: key(.environment)
            case .modelVersion: key(.modelVersion)
            }
        case .operation: key(.operation)
        case .errorType: key(.errorType)
        case .finishReason: key(.finishReason)
        case .label(let label), .labelKey(let label): key(label: label)
        case .labels, .dimensions, .feedbackLabel, .feedbackComment: "attributes"
        case .prompt: Self.pattern(mapping.promptContent)
        case .response: Self.pattern(mapping.responseContent)
        case .context: Self.pattern(mapping.retrievalDocuments)
        case .inputTokens: key(.inputTokens)
        case .outputTokens: key(.outputTokens)
        case .cachedInputTokens: key(.cachedInputTokens)
        case .cacheWriteTokens, .cacheWrite1hTokens: key(.cacheWriteTokens)
        case .reasoningTokens: key(.reasoningTokens)
        }
    }

    /// `gen_ai.prompt.<n>.content`.
    private static func pattern(_ key: IndexedKey) -> String {
        String(decoding: key.prefix, as: UTF8.self) + "<n>" + String(decoding: key.suffix, as: UTF8.self)
    }

    private func describe(_ value: WireValue) -> String {
        switch value {
        case .string(let bytes): return "the string \(record.string(bytes).prefix(64).debugDescription)"
        case .int(let number): return "the integer \(number)"
        case .double(let number): return "the number \(number)"
        case .bool(let flag): return "\(flag)"
        case .array: return "an array"
        case .keyValueList: return "a key-value list"
        case .bytes: return "bytes"
        case .stringIndex: return "a string-table reference"
        case .empty: return "an empty value"
        }
    }
}
