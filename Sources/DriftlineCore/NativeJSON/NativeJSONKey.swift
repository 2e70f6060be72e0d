/// The keys of the native request-log format, recognised straight from the record's bytes.
enum NativeJSONKey: UInt8 {
    case requestID, traceID, spanID
    case start, firstToken, end
    case model, provider
    case app, route, tenant, user, team, environment, modelVersion, labels
    case tokens
    case status, errorType, httpStatus, finishReason
    case prompt, response, context, embedding, feedback
    case logprobMean
    case unknown

    var name: String {
        switch self {
        case .requestID: "request_id"
        case .traceID: "trace_id"
        case .spanID: "span_id"
        case .start: "start"
        case .firstToken: "first_token"
        case .end: "end"
        case .model: "model"
        case .provider: "provider"
        case .app: "app"
        case .route: "route"
        case .tenant: "tenant"
        case .user: "user"
        case .team: "team"
        case .environment: "environment"
        case .modelVersion: "model_version"
        case .labels: "labels"
        case .tokens: "tokens"
        case .status: "status"
        case .errorType: "error_type"
        case .httpStatus: "http_status"
        case .finishReason: "finish_reason"
        case .prompt: "prompt"
        case .response: "response"
        case .context: "context"
        case .embedding: "embedding"
        case .feedback: "feedback"
        case .logprobMean: "logprob_mean"
        case .unknown: "(unknown)"
        }
    }

    /// A bit per key, for duplicate detection.
    var bit: UInt32 { 1 << UInt32(rawValue) }

    /// Dispatches on the key's length first, so each key costs at most a few word compares.
    static func classify(_ p: UnsafePointer<UInt8>, _ n: Int) -> NativeJSONKey {
        switch n {
        case 3:
            if matches(p, n, "app") { return .app }
            if matches(p, n, "end") { return .end }
        case 4:
            if matches(p, n, "user") { return .user }
            if matches(p, n, "team") { return .team }
        case 5:
            if matches(p, n, "start") { return .start }
            if matches(p, n, "model") { return .model }
            if matches(p, n, "route") { return .route }
        case 6:
            if matches(p, n, "tokens") { return .tokens }
            if matches(p, n, "status") { return .status }
            if matches(p, n, "tenant") { return .tenant }
            if matches(p, n, "labels") { return .labels }
            if matches(p, n, "prompt") { return .prompt }
        case 7:
            if matches(p, n, "span_id") { return .spanID }
            if matches(p, n, "context") { return .context }
        case 8:
            if matches(p, n, "trace_id") { return .traceID }
            if matches(p, n, "provider") { return .provider }
            if matches(p, n, "response") { return .response }
            if matches(p, n, "feedback") { return .feedback }
        case 9:
            if matches(p, n, "embedding") { return .embedding }
        case 10:
            if matches(p, n, "request_id") { return .requestID }
            if matches(p, n, "error_type") { return .errorType }
        case 11:
            if matches(p, n, "first_token") { return .firstToken }
            if matches(p, n, "environment") { return .environment }
            if matches(p, n, "http_status") { return .httpStatus }
        case 12:
            if matches(p, n, "logprob_mean") { return .logprobMean }
        case 13:
            if matches(p, n, "model_version") { return .modelVersion }
            if matches(p, n, "finish_reason") { return .finishReason }
        default:
            break
        }
        return .unknown
    }

    @inline(__always)
    static func matches(_ p: UnsafePointer<UInt8>, _ n: Int, _ literal: StaticString) -> Bool {
        bytesEqual(p, n, literal.utf8Start, literal.utf8CodeUnitCount)
    }

    /// Byte equality by overlapping word loads: two loads cover any length from the word
    /// size to twice the word size.
    @inline(__always)
    static func bytesEqual(
        _ a: UnsafePointer<UInt8>, _ aCount: Int, _ b: UnsafePointer<UInt8>, _ bCount: Int
    ) -> Bool {
        guard aCount == bCount else { return false }
        let n = aCount
        let rawA = UnsafeRawPointer(a)
        let rawB = UnsafeRawPointer(b)
        switch n {
        case 8...16:
            return rawA.loadUnaligned(as: UInt64.self) == rawB.loadUnaligned(as: UInt64.self)
                && rawA.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
                    == rawB.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        case 4..<8:
            return rawA.loadUnaligned(as: UInt32.self) == rawB.loadUnaligned(as: UInt32.self)
                && rawA.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
                    == rawB.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        default:
            for index in 0..<n where a[index] != b[index] { return false }
            return true
        }
    }
}

/// The keys of the `tokens` object.
enum NativeJSONTokenKey: UInt8 {
    case input, output, cachedInput, cacheWrite, reasoning, unknown

    var name: String {
        switch self {
        case .input: "tokens.input"
        case .output: "tokens.output"
        case .cachedInput: "tokens.cached_input"
        case .cacheWrite: "tokens.cache_write"
        case .reasoning: "tokens.reasoning"
        case .unknown: "tokens.(unknown)"
        }
    }

    static func classify(_ p: UnsafePointer<UInt8>, _ n: Int) -> NativeJSONTokenKey {
        if NativeJSONKey.matches(p, n, "input") { return .input }
        if NativeJSONKey.matches(p, n, "output") { return .output }
        if NativeJSONKey.matches(p, n, "cached_input") { return .cachedInput }
        if NativeJSONKey.matches(p, n, "cache_write") { return .cacheWrite }
        if NativeJSONKey.matches(p, n, "reasoning") { return .reasoning }
        return .unknown
    }
}

/// The keys of the `feedback` object.
enum NativeJSONFeedbackKey: UInt8 {
    case score, label, comment, unknown

    var name: String {
        switch self {
        case .score: "feedback.score"
        case .label: "feedback.label"
        case .comment: "feedback.comment"
        case .unknown: "feedback.(unknown)"
        }
    }

    static func classify(_ p: UnsafePointer<UInt8>, _ n: Int) -> NativeJSONFeedbackKey {
        if NativeJSONKey.matches(p, n, "score") { return .score }
        if NativeJSONKey.matches(p, n, "label") { return .label }
        if NativeJSONKey.matches(p, n, "comment") { return .comment }
        return .unknown
    }
}
