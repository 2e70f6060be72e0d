/// One record's parse: walks the top-level object once, converting each known field as it
/// is met, then applies the cross-field rules.
struct NativeJSONRecordParser {
    var scanner: JSONScanner
    let keepText: Bool
    let keepEmbedding: Bool
    /// When set, an `embedding` of another length is refused (`drift.embeddings.dimension`).
    var embeddingDimension: Int? = nil

    /// The decoder's cache, when this decode holds it.
    let cache: DecoderCache?

    init(
        scanner: JSONScanner, keepText: Bool, keepEmbedding: Bool,
        cache: DecoderCache?
    ) {
        self.scanner = scanner
        self.keepText = keepText
        self.keepEmbedding = keepEmbedding
        self.cache = cache
    }

    /// Parses the whole record. Fields are collected in locals and the event is built once
    /// every rule has passed; `seen` has a bit per known key, for duplicates and the
    /// required fields.
    mutating func parseRecord() throws(DecodeError) -> LLMEvent {
        try scanner.expectRecordObject()
        var requestID: String?
        var traceID: String?
        var spanID: String?
        var start = EventTime.epoch
        var firstToken: EventTime?
        var end = EventTime.epoch
        var model = ""
        var provider = ""
        var app = ""
        var route = ""
        var tenant = ""
        var user = ""
        var team = ""
        var environment = ""
        var modelVersion = ""
        var labels: [String: String] = [:]
        var tokens = TokenCounts()
        var status = LLMEvent.Status.ok
        var errorType: String?
        var httpStatus: Int?
        var finishReason: String?
        var prompt: String?
        var response: String?
        var context: [String]?
        var embedding: [Float]?
        var feedback: Feedback?
        var logprobMean: Double?
        var seen: UInt32 = 0
        if try scanner.beginObject() {
            repeat {
                let keyOffset = scanner.position
                let keyToken = try scanner.nextKey()
                let key = classifyKey(keyToken)
                if key != .unknown {
                    guard seen & key.bit == 0 else {
                        throw DecodeError(
                            .duplicateKey, field: key.name, byteOffset: keyOffset,
                            reason: "duplicate key \"\(key.name)\" at byte \(keyOffset)")
                    }
                    seen |= key.bit
                }
                do {
                    switch key {
                    case .requestID: requestID = try optionalString("request_id")
                    case .traceID: traceID = try optionalString("trace_id")
                    case .spanID: spanID = try optionalString("span_id")
                    // Required times never come back nil: `null` is rejected.
                    case .start: start = try scanner.timestamp("start", nullable: false) ?? start
                    case .firstToken: firstToken = try scanner.timestamp("first_token", nullable: true)
                    case .end: end = try scanner.timestamp("end", nullable: false) ?? end
                    case .model: model = try modelName()
                    case .provider: provider = try dimension("provider")
                    case .app: app = try dimension("app")
                    case .route: route = try dimension("route")
                    case .tenant: tenant = try dimension("tenant")
                    case .user: user = try dimension("user")
                    case .team: team = try dimension("team")
                    case .environment: environment = try dimension("environment")
                    case .modelVersion: modelVersion = try dimension("model_version")
                    case .labels: labels = try self.labels()
                    case .tokens: tokens = try tokenCounts()
                    case .status: status = try statusValue()
                    case .errorType: errorType = try optionalString("error_type", interned: true)
                    case .httpStatus: httpStatus = try httpStatusValue()
                    case .finishReason: finishReason = try optionalString("finish_reason", interned: true)
                    case .prompt: prompt = try text("prompt")
                    case .response: response = try text("response")
                    case .context: context = try contextValue()
                    case .embedding: embedding = try embeddingValue()
                    case .feedback: feedback = try feedbackValue()
                    case .logprobMean: logprobMean = try logprobMeanValue()
                    case .unknown: try scanner.skipValue(depth: 2)
                    }
                } catch {
                    throw error.inField(key == .unknown ? nil : key.name)
                }
            } while try scanner.endMember()
        }
        try scanner.expectEndOfRecord()
        try NativeJSONRecordParser.checkCrossFieldRules(
            start: start, firstToken: firstToken, end: end, seen: seen)
        let event = LLMEvent(
            requestID: requestID, traceID: traceID, spanID: spanID,
            start: start, firstToken: firstToken, end: end,
            model: model, provider: provider,
            dimensions: EventDimensions(
                app: app, route: route, tenant: tenant, user: user, team: team,
                environment: environment, modelVersion: modelVersion, labels: labels),
            tokens: tokens, status: status, errorType: errorType, httpStatus: httpStatus,
            finishReason: finishReason, prompt: prompt, response: response, context: context,
            embedding: embedding, feedback: feedback, logprobMean: logprobMean)
        // The event's fields are spelled as this format's keys.
        if let violation = EventLimits.violation(in: event) {
            throw violation.error(naming: violation.field.nativeName)
        }
        return event
    }

    private func classifyKey(_ token: JSONStringToken) -> NativeJSONKey {
        guard token.hasEscapes else {
            return NativeJSONKey.classify(scanner.base + token.start, token.byteCount)
        }
        var key = scanner.makeString(token)
        return key.withUTF8 { utf8 in
            guard let base = utf8.baseAddress else { return .unknown }
            return NativeJSONKey.classify(base, utf8.count)
        }
    }

    // MARK: Cross-field rules

    private static func checkCrossFieldRules(
        start: EventTime, firstToken: EventTime?, end: EventTime, seen: UInt32
    ) throws(DecodeError) {
        guard seen & NativeJSONKey.model.bit != 0 else {
            throw DecodeError(.missingField, field: "model", reason: "model is required")
        }
        guard seen & NativeJSONKey.start.bit != 0 else {
            throw DecodeError(.missingField, field: "start", reason: "start is required")
        }
        guard seen & NativeJSONKey.end.bit != 0 else {
            throw DecodeError(.missingField, field: "end", reason: "end is required")
        }
        guard end >= start else {
            throw DecodeError(.invalidValue, field: "end", reason: "end (\(end)) is before start (\(start))")
        }
        if let firstToken, firstToken < start || firstToken > end {
            throw DecodeError(
                .invalidValue, field: "first_token",
                reason: "first_token (\(firstToken)) is outside [start, end] (\(start), \(end))")
        }
    }

    // MARK: Field values (the cursor is on the value's first byte)

    /// For values that repeat across records: served from the decoder's string table when
    /// this decode holds it.
    @inline(__always)
    private func internedString(_ token: JSONStringToken) -> String {
        guard let cache, !token.hasEscapes, token.byteCount <= DecoderCache.maxLength else {
            return scanner.makeString(token)
        }
        return DecoderCache.string(
            scanner.base + token.start, length: token.byteCount, readable: scanner.count - token.start,
            table: cache.entries)
    }

    /// A string, or nil for `null`. `interned` for values that repeat across records (error
    /// types, finish reasons), not for ids, which would only churn the cache.
    private mutating func optionalString(_ field: String, interned: Bool = false) throws(DecodeError) -> String? {
        if scanner.base[scanner.position] == UInt8(ascii: "\"") {
            let token = try scanner.scanShortString()
            return interned ? internedString(token) : scanner.makeString(token)
        }
        if try scanner.consumeNull() { return nil }
        throw scanner.wrongType(field, "a string or null")
    }

    /// A dimension string; `null` means not reported, like an absent key.
    private mutating func dimension(_ field: String) throws(DecodeError) -> String {
        if scanner.base[scanner.position] == UInt8(ascii: "\"") {
            return internedString(try scanner.scanShortString())
        }
        if try scanner.consumeNull() { return "" }
        throw scanner.wrongType(field, "a string or null")
    }

    private mutating func modelName() throws(DecodeError) -> String {
        guard scanner.base[scanner.position] == UInt8(ascii: "\"") else {
            throw scanner.wrongType("model", "a non-empty string")
        }
        let valueOffset = scanner.position
        let token = try scanner.scanString()
        guard token.byteCount > 0 else {
            throw DecodeError(
                .invalidValue, field: "model", byteOffset: valueOffset,
                reason: "model must be a non-empty string, got \"\"")
        }
        return internedString(token)
    }

    /// Prompt or response text: checked always, kept only when `keepText`.
    private mutating func text(_ field: String) throws(DecodeError) -> String? {
        if scanner.base[scanner.position] == UInt8(ascii: "\"") {
            let token = try scanner.scanString()
            return keepText ? scanner.makeString(token) : nil
        }
        if try scanner.consumeNull() { return nil }
        throw scanner.wrongType(field, "a string or null")
    }

    /// A JSON integer in `range`; `null` is nil.
    private mutating func integer(
        _ field: String, in range: ClosedRange<Int64>, expectation: String
    ) throws(DecodeError) -> Int64? {
        let valueOffset = scanner.position
        if let value = scanner.scanPlainNonNegativeInteger(), range.contains(value) { return value }
        switch scanner.base[valueOffset] {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            scanner.position = valueOffset
            let number = try scanner.scanNumber()
            guard let value = number.int64Value, range.contains(value) else {
                throw DecodeError(
                    .invalidValue, field: field, byteOffset: valueOffset,
                    reason: "\(field) must be \(expectation), got \(scanner.text(of: number))")
            }
            return value
        case UInt8(ascii: "n"):
            try scanner.scanLiteral("null")
            return nil
        default:
            throw scanner.wrongType(field, expectation)
        }
    }

    private mutating func httpStatusValue() throws(DecodeError) -> Int? {
        try integer("http_status", in: 100...599, expectation: "an integer in 100...599").map { Int($0) }
    }

    private mutating func statusValue() throws(DecodeError) -> LLMEvent.Status {
        let expectation = "\"ok\" or \"error\""
        if scanner.base[scanner.position] == UInt8(ascii: "\"") {
            let valueOffset = scanner.position
            let token = try scanner.scanString()
            if scanner.stringEquals(token, "ok") { return .ok }
            if scanner.stringEquals(token, "error") { return .error }
            throw DecodeError(
                .invalidValue, field: "status", byteOffset: valueOffset,
                reason: "status must be \(expectation), got \(scanner.excerpt(from: valueOffset, to: scanner.position))"
            )
        }
        if try scanner.consumeNull() { return .ok }
        throw scanner.wrongType("status", expectation)
    }

    private mutating func labels() throws(DecodeError) -> [String: String] {
        if try scanner.consumeNull() { return [:] }
        guard scanner.base[scanner.position] == UInt8(ascii: "{") else {
            throw scanner.wrongType("labels", "an object of strings or null")
        }
        let objectStart = scanner.position
        if let cache, cache.matchesLabels(scanner.base + objectStart, available: scanner.count - objectStart) {
            scanner.position += cache.labelsText.count
            return cache.labels
        }
        let labels = try labelsObject()
        if let cache, scanner.position - objectStart <= DecoderCache.maxLabelsLength {
            cache.labelsText = Array(
                UnsafeBufferPointer(start: scanner.base + objectStart, count: scanner.position - objectStart))
            cache.labels = labels
        }
        return labels
    }

    private mutating func labelsObject() throws(DecodeError) -> [String: String] {
        guard try scanner.beginObject() else { return [:] }
        // Sized for typical label sets so the table is allocated once, not grown.
        var labels = [String: String](minimumCapacity: 3)
        repeat {
            let keyOffset = scanner.position
            let key = internedString(try scanner.nextKey())
            guard scanner.base[scanner.position] == UInt8(ascii: "\"") else {
                throw scanner.wrongType("labels.\(key)", "a string")
            }
            let value = internedString(try scanner.scanShortString())
            guard labels.updateValue(value, forKey: key) == nil else {
                throw DecodeError(
                    .duplicateKey, field: "labels.\(key)", byteOffset: keyOffset,
                    reason: "duplicate key \"\(key)\" in labels at byte \(keyOffset)")
            }
        } while try scanner.endMember()
        return labels
    }

    private mutating func tokenCounts() throws(DecodeError) -> TokenCounts {
        if try scanner.consumeNull() { return TokenCounts() }
        guard scanner.base[scanner.position] == UInt8(ascii: "{") else {
            throw scanner.wrongType("tokens", "an object or null")
        }
        var counts = TokenCounts()
        guard try scanner.beginObject() else { return counts }
        var seen: UInt8 = 0
        repeat {
            let keyOffset = scanner.position
            let token = try scanner.nextKey()
            let key: NativeJSONTokenKey
            if token.hasEscapes {
                var name = scanner.makeString(token)
                key = name.withUTF8 { NativeJSONTokenKey.classify($0.baseAddress ?? scanner.base, $0.count) }
            } else {
                key = NativeJSONTokenKey.classify(scanner.base + token.start, token.byteCount)
            }
            if key == .unknown {
                try scanner.skipValue(depth: 3)
                continue
            }
            guard seen & (1 << key.rawValue) == 0 else {
                throw DecodeError(
                    .duplicateKey, field: key.name, byteOffset: keyOffset,
                    reason: "duplicate key \"\(key.name)\" at byte \(keyOffset)")
            }
            seen |= 1 << key.rawValue
            let value =
                try integer(key.name, in: 0...Int64.max, expectation: "a non-negative integer") ?? 0
            switch key {
            case .input: counts.input = value
            case .output: counts.output = value
            case .cachedInput: counts.cachedInput = value
            case .cacheWrite: counts.cacheWrite = value
            case .reasoning: counts.reasoning = value
            case .unknown: break
            }
        } while try scanner.endMember()
        // Overflow here would need counts near 2^62 each; treat it as exceeding input.
        let (cacheParts, overflow) = counts.cachedInput.addingReportingOverflow(counts.cacheWrite)
        if overflow || cacheParts > counts.input {
            throw DecodeError(
                .invalidValue, field: "tokens.cached_input",
                reason:
                    "tokens.cached_input (\(counts.cachedInput)) + tokens.cache_write (\(counts.cacheWrite)) exceeds tokens.input (\(counts.input)); input must count all prompt tokens, cached ones included"
            )
        }
        if counts.reasoning > counts.output {
            throw DecodeError(
                .invalidValue, field: "tokens.reasoning",
                reason:
                    "tokens.reasoning (\(counts.reasoning)) exceeds tokens.output (\(counts.output)); output must count all generated tokens, reasoning included"
            )
        }
        return counts
    }

    private mutating func contextValue() throws(DecodeError) -> [String]? {
        let expectation = "an array of strings, a string or null"
        switch scanner.base[scanner.position] {
        case UInt8(ascii: "\""):
            let token = try scanner.scanString()
            return keepText ? [scanner.makeString(token)] : nil
        case UInt8(ascii: "["):
            var passages: [String] = []
            var index = 0
            guard try scanner.beginArray() else { return keepText ? passages : nil }
            repeat {
                guard scanner.base[scanner.position] == UInt8(ascii: "\"") else {
                    throw scanner.wrongType("context[\(index)]", "a string")
                }
                let token = try scanner.scanString()
                if keepText { passages.append(scanner.makeString(token)) }
                index += 1
            } while try scanner.endElement()
            return keepText ? passages : nil
        case UInt8(ascii: "n"):
            try scanner.scanLiteral("null")
            return nil
        default:
            throw scanner.wrongType("context", expectation)
        }
    }

    private mutating func embeddingValue() throws(DecodeError) -> [Float]? {
        if try scanner.consumeNull() { return nil }
        guard scanner.base[scanner.position] == UInt8(ascii: "[") else {
            throw scanner.wrongType("embedding", "an array of numbers or null")
        }
        var values: [Float] = []
        var index = 0
        let arrayOffset = scanner.position
        guard try scanner.beginArray() else {
            try checkEmbeddingLength(0, at: arrayOffset)
            return keepEmbedding ? values : nil
        }
        if keepEmbedding, let embeddingDimension { values.reserveCapacity(embeddingDimension) }
        repeat {
            let valueOffset = scanner.position
            switch scanner.base[valueOffset] {
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let number = try scanner.scanNumber()
                let value = number.floatValue(in: scanner)
                guard value.isFinite else {
                    throw DecodeError(
                        .nonFinite, field: "embedding[\(index)]", byteOffset: valueOffset,
                        reason: "embedding[\(index)] must be a finite 32-bit float, got \(scanner.text(of: number))")
                }
                if keepEmbedding { values.append(value) }
            default:
                throw scanner.wrongType("embedding[\(index)]", "a number")
            }
            index += 1
        } while try scanner.endElement()
        try checkEmbeddingLength(index, at: arrayOffset)
        return keepEmbedding ? values : nil
    }

    /// A vector whose length is not the configured dimension would never fit a centroid: it is
    /// refused here, naming the field, rather than dropped later.
    private func checkEmbeddingLength(_ length: Int, at offset: Int) throws(DecodeError) {
        guard let embeddingDimension, length != embeddingDimension else { return }
        throw DecodeError(
            .invalidValue, field: "embedding", byteOffset: offset,
            reason:
                "embedding has \(length) elements; drift.embeddings.dimension is \(embeddingDimension)")
    }

    private mutating func feedbackValue() throws(DecodeError) -> Feedback? {
        if try scanner.consumeNull() { return nil }
        guard scanner.base[scanner.position] == UInt8(ascii: "{") else {
            throw scanner.wrongType("feedback", "an object or null")
        }
        var feedback = Feedback()
        guard try scanner.beginObject() else { return feedback }
        var seen: UInt8 = 0
        repeat {
            let keyOffset = scanner.position
            let token = try scanner.nextKey()
            let key: NativeJSONFeedbackKey
            if token.hasEscapes {
                var name = scanner.makeString(token)
                key = name.withUTF8 { NativeJSONFeedbackKey.classify($0.baseAddress ?? scanner.base, $0.count) }
            } else {
                key = NativeJSONFeedbackKey.classify(scanner.base + token.start, token.byteCount)
            }
            if key == .unknown {
                try scanner.skipValue(depth: 3)
                continue
            }
            guard seen & (1 << key.rawValue) == 0 else {
                throw DecodeError(
                    .duplicateKey, field: key.name, byteOffset: keyOffset,
                    reason: "duplicate key \"\(key.name)\" at byte \(keyOffset)")
            }
            seen |= 1 << key.rawValue
            switch key {
            case .score: feedback.score = try score()
            case .label: feedback.label = try optionalString(key.name, interned: true)
            case .comment: feedback.comment = try optionalString(key.name)
            case .unknown: break
            }
        } while try scanner.endMember()
        return feedback
    }

    /// `logprob_mean`: a finite number ≤ 0 (a log-probability), or null.
    private mutating func logprobMeanValue() throws(DecodeError) -> Double? {
        try optionalNumber("logprob_mean", expected: "a number ≤ 0 or null") {
            $0.isFinite && $0 <= 0
                ? nil : (.invalidValue, "a finite log-probability ≤ 0 (the mean over the response's tokens)")
        }
    }

    private mutating func score() throws(DecodeError) -> Double? {
        try optionalNumber("feedback.score", expected: "a number or null") {
            $0.isFinite ? nil : (.nonFinite, "a finite number")
        }
    }

    /// A number or null. `refuse` says why a number is not accepted (the error's code and what the
    /// field must be), or nil when it is.
    private mutating func optionalNumber(
        _ field: String, expected: String, refuse: (Double) -> (DecodeError.Code, String)?
    ) throws(DecodeError) -> Double? {
        let valueOffset = scanner.position
        switch scanner.base[valueOffset] {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let number = try scanner.scanNumber()
            let value = number.doubleValue(in: scanner)
            if let (code, requirement) = refuse(value) {
                throw DecodeError(
                    code, field: field, byteOffset: valueOffset,
                    reason: "\(field) must be \(requirement), got \(scanner.text(of: number))")
            }
            return value
        case UInt8(ascii: "n"):
            try scanner.scanLiteral("null")
            return nil
        default:
            throw scanner.wrongType(field, expected)
        }
    }
}
