import Foundation
import SwiftProtobuf
import Testing

@testable import DriftlineCore

/// Records built to break the store or the counters (issue 10, items 1 and 2): every decoder
/// must refuse them with a `DecodeError` whose code is stable and whose message names the field,
/// and accept everything up to the documented limits (`EventLimits`, docs/limits.md).
@Suite("Hostile records: limits enforced at decode, for every format")
struct HostileRecordTests {
    // MARK: Cases

    /// A NUL in each key-like field of each format.
    @Test(arguments: HostileFormat.allCases)
    func aNULInAnyKeyFieldIsRejectedNamingIt(_ format: HostileFormat) {
        for slot in format.keySlots {
            expectRejected(format, [slot: "ab\u{0}cd"], code: .controlCharacter, naming: slot, "NUL in \(slot)")
        }
    }

    /// C0 controls (tab and line feed among them), DEL and C1 controls, escaped and raw, in
    /// every key-like field; text fields take all of them except NUL.
    @Test(arguments: HostileFormat.allCases)
    func controlCharactersAreRejectedInKeysAndOnlyNULInText(_ format: HostileFormat) throws {
        let controls: [Unicode.Scalar] = [
            "\u{1}", "\t", "\n", "\r", "\u{1B}", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}",
        ]
        for slot in format.keySlots {
            for control in controls {
                let value = "x" + String(Character(control)) + "y"
                expectRejected(
                    format, [slot: value], code: .controlCharacter, naming: slot,
                    "U+\(String(control.value, radix: 16)) in \(slot)")
            }
        }
        for slot in format.textSlots {
            let text = "line 1\n\tline 2 \u{7F}\u{85}\u{1B}[0m é 😀"
            let event = try #require(format.decode(format.record([slot: text])).get().first)
            #expect(slot.read(event) == text, "\(slot) keeps its text")
            expectRejected(format, [slot: "before\u{0}after"], code: .controlCharacter, naming: slot, "NUL in \(slot)")
        }
    }

    /// Latin-1 letters share the lead byte 0xC2 with the C1 controls: they must pass.
    @Test(arguments: HostileFormat.allCases)
    func lettersNextToTheC1RangeAreAccepted(_ format: HostileFormat) throws {
        let value = "©®±µ¶·¿ é ñ \u{A0}ü 漢字 😀"
        for slot in format.keySlots {
            let event = try #require(format.decode(format.record([slot: value])).get().first, "\(slot)")
            #expect(slot.read(event) == (slot == .provider && format.lowercasesProvider ? value.lowercased() : value))
        }
    }

    @Test(arguments: HostileFormat.allCases)
    func aRandomTenantOf3000CharactersIsRejected(_ format: HostileFormat) {
        var generator = SeededGenerator(seed: 3000)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        let tenant = String((0..<3000).map { _ in alphabet.randomElement(using: &generator)! })
        let error = expectRejected(format, [.tenant: tenant], code: .valueTooLong, naming: .tenant, "3000-byte tenant")
        #expect(error?.reason.hasSuffix("is 3000 bytes; the limit is 256") == true, "\(error?.reason ?? "")")
    }

    @Test(arguments: HostileFormat.allCases)
    func aModelNameOrLabelValueOf100KBIsRejected(_ format: HostileFormat) {
        let huge = String(repeating: "m", count: 100_000)
        let error = expectRejected(format, [.model: huge], code: .valueTooLong, naming: .model, "100 KB model")
        #expect(error?.reason.contains("is 100000 bytes; the limit is 256") == true, "\(error?.reason ?? "")")
        // The message quotes no more than a short excerpt of anything.
        #expect((error?.reason.utf8.count ?? 0) < 500)
        let label = expectRejected(
            format, [.labelValue: huge], code: .valueTooLong, naming: .labelValue, "100 KB label value")
        #expect((label?.reason.utf8.count ?? 0) < 500)
    }

    /// Lone surrogates: JSON `\u` escapes are refused, not replaced with U+FFFD; in protobuf a
    /// surrogate's UTF-8 form (ED A0 80) is not UTF-8 at all.
    @Test(arguments: HostileFormat.allCases)
    func loneSurrogatesAreRejected(_ format: HostileFormat) {
        let escapes = format.isJSON ? [#"\ud800"#, #"\udfff"#, #"a\udc00b"#, #"\ud83dx"#, #"\ud83d\u0041"#] : [""]
        for slot in format.keySlots + format.textSlots {
            for escape in escapes {
                let record = format.recordWithLoneSurrogate(in: slot, escape: escape)
                switch format.decode(record) {
                case .success(let events):
                    Issue.record("\(slot) \(escape): decoded \(events.map { slot.read($0) ?? "nil" })")
                case .failure(let error):
                    #expect(format.surrogateCodes.contains(error.code), "\(slot) \(escape): \(error)")
                    #expect(!error.reason.contains("\u{FFFD}"))
                }
            }
        }
    }

    @Test(arguments: HostileFormat.allCases)
    func tokenCountsOfInt64MaxAreRejected(_ format: HostileFormat) {
        for kind in format.tokenKinds {
            let error = expectRejected(
                format, [:], tokens: [kind: Int64.max], code: .tokenCountTooLarge, "\(kind) = Int64.max")
            #expect(error?.field?.contains(format.tokenName(kind)) == true, "\(error?.field ?? "nil")")
            #expect(
                error?.reason.contains("is \(Int64.max); the limit is 1000000000") == true, "\(error?.reason ?? "")")
        }
    }

    @Test(arguments: HostileFormat.allCases)
    func tokenCountsAreAcceptedAtTheLimitAndRejectedOneAbove(_ format: HostileFormat) throws {
        let limit = EventLimits.maxTokenCount
        #expect(limit == 1_000_000_000)
        for kind in format.tokenKinds {
            let event = try #require(format.decode(format.record([:], tokens: [kind: limit])).get().first)
            #expect(kind.read(event.tokens) == limit, "\(kind)")
            let error = expectRejected(
                format, [:], tokens: [kind: limit + 1], code: .tokenCountTooLarge, "\(kind) = limit + 1")
            #expect(error?.field?.contains(format.tokenName(kind)) == true, "\(error?.field ?? "nil")")
            #expect(error?.reason.contains("is 1000000001; the limit is 1000000000") == true)
        }
    }

    /// Each field at exactly its limit in bytes (with two-byte letters, so that the limit is
    /// counted in bytes, not characters) is accepted; one byte more is refused.
    @Test(arguments: HostileFormat.allCases)
    func theLongestValueOfEveryFieldIsAcceptedAndOneByteMoreIsNot(_ format: HostileFormat) throws {
        // LiteLLM also keeps all its tags joined as the label `request_tags`, which a tag of 256
        // bytes alone overflows (see `liteLLMTagsJoinedAreALabelToo`).
        let tagged: [HostileSlot] = format == .liteLLM ? [.environment, .labelValue] : []
        for slot in format.keySlots where !tagged.contains(slot) {
            let limit = slot.limit
            let longest = String(repeating: "é", count: limit / 2)
            #expect(longest.utf8.count == limit)
            let decoded = format.decode(format.record([slot: longest]))
            let event = try #require(try decoded.get().first, "\(slot) at \(limit) bytes")
            let expected = slot == .provider && format.lowercasesProvider ? longest.lowercased() : longest
            #expect(slot.read(event) == expected, "\(slot)")
            let error = expectRejected(
                format, [slot: longest + "x"], code: .valueTooLong, naming: slot, "\(slot) at \(limit + 1) bytes")
            #expect(error?.reason.hasSuffix("is \(limit + 1) bytes; the limit is \(limit)") == true)
        }
    }

    /// The dimensions of one record share a budget: the store's primary key holds them all.
    @Test(arguments: HostileFormat.allCases)
    func dimensionsTogetherAreBoundedByTheKeyLimit(_ format: HostileFormat) throws {
        var dimensions: [HostileSlot] = [
            .model, .provider, .app, .route, .tenant, .user, .team, .environment, .modelVersion,
        ]
        // LiteLLM's environment is a tag, and so also inside the `request_tags` label.
        if format == .liteLLM { dimensions.removeAll { $0 == .environment } }
        // Every dimension at its limit: 2048 bytes or more, plus the labels.
        let full = Dictionary(uniqueKeysWithValues: dimensions.map { ($0, String(repeating: "d", count: 256)) })
        let error = expectRejected(format, full, code: .keyTooLong, "every dimension at 256 bytes")
        #expect(error?.field?.isEmpty == false)
        #expect(error?.reason.contains("the limit is \(EventLimits.maxKeyBytes)") == true, "\(error?.reason ?? "")")
        // 180 bytes each fit, with the labels every format adds.
        let fitting = Dictionary(uniqueKeysWithValues: dimensions.map { ($0, String(repeating: "d", count: 180)) })
        let event = try #require(try format.decode(format.record(fitting)).get().first)
        #expect(event.dimensions.tenant.utf8.count == 180)
    }

    @Test(arguments: HostileFormat.allCases)
    func tenThousandDistinctValuesOfOneDimensionAreAccepted(_ format: HostileFormat) throws {
        let decoder = format.makeDecoder()
        var tenants = Set<String>()
        for index in 0..<10_000 {
            let events = try decoder(format.record([.tenant: "tenant-\(index)-é"])).get()
            tenants.formUnion(events.map(\.dimensions.tenant))
        }
        #expect(tenants.count == 10_000)
        #expect(tenants.contains("tenant-9999-é"))
    }

    /// LiteLLM keeps every tag, joined, as the label `request_tags` as well as `key:value` tags
    /// as their own labels: the joined label is held to the label limit like any other.
    @Test func liteLLMTagsJoinedAreALabelToo() throws {
        let format = HostileFormat.liteLLM
        let value = String(repeating: "v", count: 200)
        let event = try #require(try format.decode(format.record([.labelValue: value])).get().first)
        #expect(event.dimensions.labels[HostileFormat.labelKey] == value)
        let error = expectRejected(
            format, [.labelValue: value + String(repeating: "v", count: 56)], code: .valueTooLong,
            "a 256-byte tag value")
        #expect(error?.field == "request_tags", "\(error?.field ?? "nil")")
        #expect(
            error?.reason.hasPrefix("request_tags is 282 bytes; the limit is 256") == true, "\(error?.reason ?? "")")
    }

    @Test func labelsAreLimitedInNumberAndKeyLength() throws {
        for format in [HostileFormat.nativeJSON, .openAIChat] {
            let labels = (0..<32).map { ("k\($0)", "v") }
            #expect(try format.decode(format.record([:], labels: labels)).get().first?.dimensions.labels.count == 32)
            let error = expectRejected(
                format, [:], labels: labels + [("k32", "v")], code: .tooManyLabels, "33 labels")
            #expect(error?.field == "labels")
            #expect(error?.reason == "labels has 33 labels; the limit is 32")
            let key = String(repeating: "k", count: 64)
            #expect(try format.decode(format.record([:], labels: [(key, "v")])).get().first != nil)
            let long = expectRejected(
                format, [:], labels: [(key + "k", "v")], code: .valueTooLong, "a 65-byte label key")
            #expect(long?.reason.hasSuffix("is 65 bytes; the limit is 64") == true, "\(long?.reason ?? "")")
        }
    }

    /// Spans that are not model calls are only counted, by operation, app and environment: the
    /// same rules hold for those.
    @Test(arguments: [OTLPDecoder.Encoding.protobuf, .json])
    func countedSpansAreCheckedToo(_ encoding: OTLPDecoder.Encoding) {
        for (key, value) in [
            ("gen_ai.operation.name", "execute\u{0}tool"),
            ("gen_ai.operation.name", String(repeating: "o", count: 257)),
        ] {
            let request = HostileFormat.otlpRequest(span: [(key, value)], resource: [("service.name", "app")])
            let format: HostileFormat = encoding == .protobuf ? .otlpProtobuf : .otlpJSON
            switch format.decode(format.serialize(request)) {
            case .success: Issue.record("an operation \(value.utf8.count) bytes long was counted")
            case .failure(let error):
                #expect(error.code == .controlCharacter || error.code == .valueTooLong)
                #expect(error.field?.contains("gen_ai.operation.name") == true, "\(error.field ?? "nil")")
            }
        }
    }

    /// What the scans see, against values chosen by hand.
    @Test func theByteScansFindExactlyTheForbiddenScalars() {
        func problem(_ text: String) -> EventLimits.Problem? { EventLimits.keyProblem(text, limit: 1000) }
        #expect(problem("") == nil)
        #expect(problem("plain-ascii_value.1") == nil)
        #expect(problem("©é\u{A0}\u{FFFD}\u{10FFFF}") == nil)
        #expect(problem("a\u{0}") == .forbidden(scalar: 0, byteOffset: 1))
        #expect(problem("éé\u{7F}") == .forbidden(scalar: 0x7F, byteOffset: 4))
        #expect(problem("©\u{80}") == .forbidden(scalar: 0x80, byteOffset: 2))
        #expect(problem("\u{9F}") == .forbidden(scalar: 0x9F, byteOffset: 0))
        #expect(EventLimits.keyProblem("abcd", limit: 3) == .tooLong(bytes: 4))
        #expect(EventLimits.textProblem("tab\tnew\nline\u{7F}\u{85}") == nil)
        #expect(EventLimits.textProblem("x\u{0}") == .forbidden(scalar: 0, byteOffset: 1))
        // A long value with the problem far past the first word.
        let long = String(repeating: "a", count: 200) + "\u{1}"
        #expect(problem(long) == .forbidden(scalar: 1, byteOffset: 200))
        #expect(EventLimits.quoted("a\u{0}\"b\\") == #""a\u{0000}\"b\\""#)
        #expect(EventLimits.quoted(String(repeating: "z", count: 100)).count == 43)
    }

    // MARK: Helpers

    /// Decodes, expects the error `code`, and checks that the field (and the reason) name the
    /// field of `slot` as the format spells it.
    @discardableResult
    func expectRejected(
        _ format: HostileFormat, _ values: [HostileSlot: String], tokens: [HostileTokenKind: Int64] = [:],
        labels: [(String, String)]? = nil, code: DecodeError.Code, naming slot: HostileSlot? = nil,
        _ comment: String, sourceLocation: SourceLocation = #_sourceLocation
    ) -> DecodeError? {
        switch format.decode(format.record(values, tokens: tokens, labels: labels)) {
        case .success:
            Issue.record("\(format) \(comment): decoded", sourceLocation: sourceLocation)
            return nil
        case .failure(let error):
            #expect(error.code == code, "\(format) \(comment): \(error)", sourceLocation: sourceLocation)
            #expect(!error.reason.contains("\u{0}"), sourceLocation: sourceLocation)
            if let slot {
                let name = format.fieldName(slot)
                #expect(
                    error.field?.contains(name) == true, "\(format) \(comment): field \(error.field ?? "nil")",
                    sourceLocation: sourceLocation)
                #expect(
                    error.reason.contains(name), "\(format) \(comment): \(error.reason)", sourceLocation: sourceLocation
                )
            }
            return error
        }
    }
}

// MARK: - Records of every format

/// A field a hostile value is put in.
enum HostileSlot: String, CaseIterable, Sendable, Hashable {
    case model, provider, app, route, tenant, user, team, environment, modelVersion
    case labelKey, labelValue, requestID, errorType, finishReason
    case prompt, response

    var limit: Int {
        switch self {
        case .labelKey: EventLimits.maxLabelKeyBytes
        case .labelValue: EventLimits.maxLabelValueBytes
        case .requestID: EventLimits.maxIDBytes
        default: EventLimits.maxDimensionBytes
        }
    }

    /// The event field the slot's value ends up in.
    func read(_ event: LLMEvent) -> String? {
        switch self {
        case .model: event.model
        case .provider: event.provider
        case .app: event.dimensions.app
        case .route: event.dimensions.route
        case .tenant: event.dimensions.tenant
        case .user: event.dimensions.user
        case .team: event.dimensions.team
        case .environment: event.dimensions.environment
        case .modelVersion: event.dimensions.modelVersion
        case .labelKey:
            event.dimensions.labels.keys.first { ![HostileFormat.labelKey, "region", "request_tags"].contains($0) }
        case .labelValue: event.dimensions.labels[HostileFormat.labelKey]
        case .requestID: event.requestID
        case .errorType: event.errorType
        case .finishReason: event.finishReason
        case .prompt: event.prompt
        case .response: event.response
        }
    }
}

enum HostileTokenKind: CaseIterable, Sendable {
    case input, output, cachedInput, reasoning

    func read(_ tokens: TokenCounts) -> Int64 {
        switch self {
        case .input: tokens.input
        case .output: tokens.output
        case .cachedInput: tokens.cachedInput
        case .reasoning: tokens.reasoning
        }
    }
}

enum HostileFormat: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case nativeJSON, liteLLM, openAIChat, otlpProtobuf, otlpJSON

    var testDescription: String { rawValue }

    /// The label whose value is hostile: `gen_ai.conversation.id` in OTLP's default mapping.
    static let labelKey = "conversation_id"

    var isJSON: Bool { self != .otlpProtobuf }
    var lowercasesProvider: Bool { self == .otlpProtobuf || self == .otlpJSON }

    var keySlots: [HostileSlot] {
        switch self {
        case .nativeJSON, .liteLLM, .openAIChat:
            [
                .model, .provider, .app, .route, .tenant, .user, .team, .environment, .modelVersion, .labelKey,
                .labelValue, .requestID, .errorType, .finishReason,
            ]
        // OTLP label keys come from the configuration, not the record.
        case .otlpProtobuf, .otlpJSON:
            [
                .model, .provider, .app, .route, .tenant, .user, .team, .environment, .modelVersion, .labelValue,
                .requestID, .errorType, .finishReason,
            ]
        }
    }

    /// Text kept as the producer wrote it (OpenAI chat keeps its messages as JSON text, where a
    /// NUL stays an escape, so only its response is text).
    var textSlots: [HostileSlot] {
        self == .openAIChat ? [.response] : [.prompt, .response]
    }

    var tokenKinds: [HostileTokenKind] {
        self == .liteLLM ? [.input, .output, .cachedInput] : HostileTokenKind.allCases
    }

    /// What a lone surrogate is reported as.
    var surrogateCodes: Set<DecodeError.Code> {
        switch self {
        case .otlpProtobuf: [.malformedProtobuf, .invalidUTF8]
        default: [.malformedJSON, .invalidUTF8]
        }
    }

    /// How the format names the field a slot fills, as errors must.
    func fieldName(_ slot: HostileSlot) -> String {
        switch (self, slot) {
        case (.nativeJSON, .labelKey), (.openAIChat, .labelKey): "labels key"
        case (.nativeJSON, .labelValue), (.openAIChat, .labelValue): #"labels["\#(Self.labelKey)"]"#
        case (.nativeJSON, .modelVersion): "model_version"
        case (.nativeJSON, .requestID): "request_id"
        case (.nativeJSON, .errorType): "error_type"
        case (.nativeJSON, _), (.openAIChat, .provider), (.openAIChat, .app), (.openAIChat, .route),
            (.openAIChat, .tenant), (.openAIChat, .user), (.openAIChat, .team), (.openAIChat, .environment):
            slot == .finishReason ? "finish_reason" : slot.rawValue
        case (.openAIChat, .model): "request.model"
        case (.openAIChat, .modelVersion): "response.model"
        case (.openAIChat, .requestID): "response.id"
        case (.openAIChat, .errorType): "response.error"
        case (.openAIChat, .finishReason): "finish_reason"
        case (.openAIChat, _): "response.choices[0].message.content"
        case (.liteLLM, .model): "model"
        case (.liteLLM, .provider): "custom_llm_provider"
        case (.liteLLM, .app): "metadata.user_api_key_alias"
        case (.liteLLM, .route): "metadata.user_api_key_request_route"
        case (.liteLLM, .tenant): "metadata.user_api_key_org_id"
        case (.liteLLM, .user): "end_user"
        case (.liteLLM, .team): "metadata.user_api_key_team_id"
        case (.liteLLM, .environment), (.liteLLM, .labelKey), (.liteLLM, .labelValue): "request_tags"
        case (.liteLLM, .modelVersion): "response.model"
        case (.liteLLM, .requestID): "id"
        case (.liteLLM, .errorType): "error_information.error_class"
        case (.liteLLM, .finishReason): "finish_reason"
        case (.liteLLM, .prompt): "messages"
        case (.liteLLM, .response): "response"
        case (_, .model): "gen_ai.request.model"
        case (_, .provider): "gen_ai.provider.name"
        case (_, .app): "service.name"
        case (_, .route): "http.route"
        case (_, .tenant): "tenant.id"
        case (_, .user): "user.id"
        case (_, .team): "team.id"
        case (_, .environment): "deployment.environment.name"
        case (_, .modelVersion): "gen_ai.response.model"
        case (_, .labelKey), (_, .labelValue): "gen_ai.conversation.id"
        case (_, .requestID): "gen_ai.response.id"
        case (_, .errorType): "error.type"
        case (_, .finishReason): "gen_ai.response.finish_reasons"
        case (_, .prompt): "gen_ai.prompt.<n>.content"
        case (_, .response): "gen_ai.completion.<n>.content"
        }
    }

    func tokenName(_ kind: HostileTokenKind) -> String {
        switch (self, kind) {
        case (.nativeJSON, .input): "tokens.input"
        case (.nativeJSON, .output): "tokens.output"
        case (.nativeJSON, .cachedInput): "tokens.cached_input"
        case (.nativeJSON, .reasoning): "tokens.reasoning"
        case (.liteLLM, .input): "prompt_tokens"
        case (.liteLLM, .output): "completion_tokens"
        case (.liteLLM, _): "cached_tokens"
        case (.openAIChat, .input): "response.usage.prompt_tokens"
        case (.openAIChat, .output): "response.usage.completion_tokens"
        case (.openAIChat, .cachedInput): "cached_tokens"
        case (.openAIChat, .reasoning): "reasoning_tokens"
        case (_, .input): "gen_ai.usage.input_tokens"
        case (_, .output): "gen_ai.usage.output_tokens"
        case (_, .cachedInput): "gen_ai.usage.cache_read.input_tokens"
        case (_, .reasoning): "gen_ai.usage.reasoning.output_tokens"
        }
    }

    // MARK: Decoding

    /// A decoder made once, for many records (its caches see them all).
    func makeDecoder() -> @Sendable ([UInt8]) -> Result<[LLMEvent], DecodeError> {
        switch self {
        case .nativeJSON:
            let decoder = NativeJSONDecoder()
            return { bytes in Result { () throws(DecodeError) in [try decoder.decode(bytes)] } }
        case .liteLLM:
            let decoder = LiteLLMDecoder()
            return { bytes in Result { () throws(DecodeError) in [try decoder.decode(bytes)] } }
        case .openAIChat:
            let decoder = OpenAIChatDecoder()
            return { bytes in Result { () throws(DecodeError) in [try decoder.decode(bytes)] } }
        case .otlpProtobuf, .otlpJSON:
            let decoder = OTLPDecoder(encoding: self == .otlpJSON ? .json : .protobuf, mapping: Self.mapping)
            return { bytes in Result { () throws(DecodeError) in try decoder.decode(bytes).events } }
        }
    }

    func decode(_ bytes: [UInt8]) -> Result<[LLMEvent], DecodeError> { makeDecoder()(bytes) }

    /// The default mapping, with a route attribute (none by default).
    static let mapping: GenAIMapping = {
        var mapping = GenAIMapping()
        mapping.route = ["http.route"]
        return mapping
    }()

    // MARK: Building records

    /// A valid record of this format with `values` in their slots, the given token counts and
    /// (for formats with free labels) the given labels instead of the default one.
    func record(
        _ values: [HostileSlot: String], tokens: [HostileTokenKind: Int64] = [:], labels: [(String, String)]? = nil
    ) -> [UInt8] {
        switch self {
        case .nativeJSON: nativeRecord(values, tokens: tokens, labels: labels)
        case .liteLLM: liteLLMRecord(values, tokens: tokens)
        case .openAIChat: openAIChatRecord(values, tokens: tokens, labels: labels)
        case .otlpProtobuf, .otlpJSON: serialize(otlpRecord(values, tokens: tokens))
        }
    }

    /// A record whose `slot` holds the JSON escape `escape` (for protobuf: the bytes ED A0 80,
    /// a surrogate written as UTF-8, which UTF-8 does not allow).
    func recordWithLoneSurrogate(in slot: HostileSlot, escape: String) -> [UInt8] {
        let marker = "@@@"
        let bytes = record([slot: marker])
        let replacement = isJSON ? Array(escape.utf8) : [0xED, 0xA0, 0x80]
        guard let range = bytes.firstRange(of: Array(marker.utf8)) else { return bytes }
        var patched = bytes
        patched.replaceSubrange(range, with: replacement)
        return patched
    }

    private func nativeRecord(
        _ values: [HostileSlot: String], tokens: [HostileTokenKind: Int64], labels: [(String, String)]?
    ) -> [UInt8] {
        var members = [
            #""start":"2026-11-25T12:00:00Z","end":"2026-11-25T12:00:01Z""#,
            #""model":\#(json(values[.model] ?? "gpt-4o"))"#,
        ]
        let names: [(HostileSlot, String)] = [
            (.provider, "provider"), (.app, "app"), (.route, "route"), (.tenant, "tenant"), (.user, "user"),
            (.team, "team"), (.environment, "environment"), (.modelVersion, "model_version"),
            (.requestID, "request_id"), (.errorType, "error_type"), (.finishReason, "finish_reason"),
            (.prompt, "prompt"), (.response, "response"),
        ]
        for (slot, name) in names {
            if let value = values[slot] { members.append("\(json(name)):\(json(value))") }
        }
        members.append(#""labels":\#(labelsObject(values, labels))"#)
        let cached: Int64 = tokens[.cachedInput] ?? 0
        let reasoning: Int64 = tokens[.reasoning] ?? 0
        // Parts within their totals, so only the limit can refuse the counts.
        let input = max(tokens[.input] ?? 10, cached)
        let output = max(tokens[.output] ?? 20, reasoning)
        members.append(
            #""tokens":{"input":\#(input),"output":\#(output),"cached_input":\#(cached),"reasoning":\#(reasoning)}"#)
        return Array("{\(members.joined(separator: ","))}".utf8)
    }

    private func labelsObject(_ values: [HostileSlot: String], _ labels: [(String, String)]?) -> String {
        let pairs =
            labels ?? [(values[.labelKey] ?? "region", "eu"), (Self.labelKey, values[.labelValue] ?? "c-1")]
        return "{" + pairs.map { "\(json($0.0)):\(json($0.1))" }.joined(separator: ",") + "}"
    }

    private func liteLLMRecord(_ values: [HostileSlot: String], tokens: [HostileTokenKind: Int64]) -> [UInt8] {
        let failed = values[.errorType] != nil
        var tags = ["region:eu"]
        if let key = values[.labelKey] { tags.append("\(key):v") }
        tags.append("\(Self.labelKey):\(values[.labelValue] ?? "c-1")")
        if let environment = values[.environment] { tags.append("environment:\(environment)") }
        var metadata: [String] = []
        for (slot, name) in [
            (HostileSlot.app, "user_api_key_alias"), (.route, "user_api_key_request_route"),
            (.tenant, "user_api_key_org_id"), (.team, "user_api_key_team_id"),
        ] {
            if let value = values[slot] { metadata.append("\(json(name)):\(json(value))") }
        }
        let input = max(tokens[.input] ?? 10, tokens[.cachedInput] ?? 0)
        let output = tokens[.output] ?? 20
        let usage =
            #"{"prompt_tokens":\#(input),"completion_tokens":\#(output),"prompt_tokens_details":{"cached_tokens":\#(tokens[.cachedInput] ?? 0)}}"#
        var members = [
            #""id":\#(json(values[.requestID] ?? "chatcmpl-1"))"#,
            #""status":\#(failed ? #""failure""# : #""success""#)"#,
            #""custom_llm_provider":\#(json(values[.provider] ?? "openai"))"#,
            #""model":\#(json(values[.model] ?? "gpt-4o"))"#,
            #""startTime":1764072000.25,"endTime":1764072001.5"#,
            #""prompt_tokens":\#(input),"completion_tokens":\#(output)"#,
            #""request_tags":[\#(tags.map(json).joined(separator: ","))]"#,
            #""metadata":{\#(metadata.joined(separator: ","))}"#,
            #""messages":\#(json(values[.prompt] ?? "hi"))"#,
            #""response":{"id":"chatcmpl-1","model":\#(json(values[.modelVersion] ?? "gpt-4o-2024-08-06")),"choices":[{"index":0,"finish_reason":\#(json(values[.finishReason] ?? "stop")),"message":{"role":"assistant","content":\#(json(values[.response] ?? "Hello"))}}],"usage":\#(usage)}"#,
        ]
        if let user = values[.user] { members.append(#""end_user":\#(json(user))"#) }
        if let errorType = values[.errorType] {
            members.append(#""error_information":{"error_class":\#(json(errorType))}"#)
        }
        return Array("{\(members.joined(separator: ","))}".utf8)
    }

    private func openAIChatRecord(
        _ values: [HostileSlot: String], tokens: [HostileTokenKind: Int64], labels: [(String, String)]?
    ) -> [UInt8] {
        var members = [
            #""start":"2026-11-25T12:00:00Z","end":"2026-11-25T12:00:01Z""#,
            #""request":{"model":\#(json(values[.model] ?? "gpt-4o")),"messages":[{"role":"user","content":"hi"}]}"#,
            #""labels":\#(labelsObject(values, labels))"#,
        ]
        for (slot, name) in [
            (HostileSlot.provider, "provider"), (.app, "app"), (.route, "route"), (.tenant, "tenant"), (.user, "user"),
            (.team, "team"), (.environment, "environment"),
        ] {
            if let value = values[slot] { members.append("\(json(name)):\(json(value))") }
        }
        let input = max(tokens[.input] ?? 10, tokens[.cachedInput] ?? 0)
        let output = max(tokens[.output] ?? 20, tokens[.reasoning] ?? 0)
        let usage =
            #"{"prompt_tokens":\#(input),"completion_tokens":\#(output),"prompt_tokens_details":{"cached_tokens":\#(tokens[.cachedInput] ?? 0)},"completion_tokens_details":{"reasoning_tokens":\#(tokens[.reasoning] ?? 0)}}"#
        if let errorType = values[.errorType] {
            members.append(#""response":{"error":{"type":\#(json(errorType)),"message":"m"}}"#)
        } else {
            members.append(
                #""response":{"id":\#(json(values[.requestID] ?? "chatcmpl-1")),"object":"chat.completion","model":\#(json(values[.modelVersion] ?? "gpt-4o-2024-08-06")),"choices":[{"index":0,"finish_reason":\#(json(values[.finishReason] ?? "stop")),"message":{"role":"assistant","content":\#(json(values[.response] ?? "Hello"))}}],"usage":\#(usage)}"#
            )
        }
        return Array("{\(members.joined(separator: ","))}".utf8)
    }

    private func otlpRecord(_ values: [HostileSlot: String], tokens: [HostileTokenKind: Int64]) -> OTLPExportRequest {
        var span: [(String, Any)] = [
            ("gen_ai.operation.name", "chat"), ("gen_ai.request.model", values[.model] ?? "gpt-4o"),
            ("gen_ai.usage.input_tokens", max(tokens[.input] ?? 10, tokens[.cachedInput] ?? 0)),
            ("gen_ai.usage.output_tokens", max(tokens[.output] ?? 20, tokens[.reasoning] ?? 0)),
            ("gen_ai.conversation.id", values[.labelValue] ?? "c-1"),
        ]
        if let cached = tokens[.cachedInput] { span.append(("gen_ai.usage.cache_read.input_tokens", cached)) }
        if let reasoning = tokens[.reasoning] { span.append(("gen_ai.usage.reasoning.output_tokens", reasoning)) }
        for (slot, key) in [
            (HostileSlot.provider, "gen_ai.provider.name"), (.route, "http.route"), (.tenant, "tenant.id"),
            (.user, "user.id"), (.team, "team.id"), (.modelVersion, "gen_ai.response.model"),
            (.requestID, "gen_ai.response.id"), (.errorType, "error.type"),
            (.finishReason, "gen_ai.response.finish_reasons"), (.prompt, "gen_ai.prompt.0.content"),
            (.response, "gen_ai.completion.0.content"),
        ] {
            if let value = values[slot] { span.append((key, value)) }
        }
        return Self.otlpRequest(
            span: span,
            resource: [
                ("service.name", values[.app] ?? "support-bot"),
                ("deployment.environment.name", values[.environment] ?? "prod"),
            ])
    }

    static func otlpRequest(span attributes: [(String, Any)], resource: [(String, Any)]) -> OTLPExportRequest {
        func keyValue(_ pair: (String, Any)) -> OTLPKeyValue {
            var keyValue = OTLPKeyValue()
            keyValue.key = pair.0
            if let number = pair.1 as? Int64 {
                keyValue.value.intValue = number
            } else {
                keyValue.value.stringValue = pair.1 as? String ?? ""
            }
            return keyValue
        }
        var span = OTLPSpan()
        span.name = "chat"
        span.kind = .client
        span.startTimeUnixNano = 1_764_072_000_000_000_000
        span.endTimeUnixNano = 1_764_072_001_000_000_000
        span.attributes = attributes.map(keyValue)
        var scope = OTLPScopeSpans()
        scope.spans = [span]
        var resourceSpans = OTLPResourceSpans()
        resourceSpans.resource.attributes = resource.map(keyValue)
        resourceSpans.scopeSpans = [scope]
        var request = OTLPExportRequest()
        request.resourceSpans = [resourceSpans]
        return request
    }

    /// Serialised in this format; ids set as `OTLPEncoder` sets them for each encoding.
    func serialize(_ request: OTLPExportRequest) -> [UInt8] {
        var request = request
        let traceHex = "4bf92f3577b34da6a3ce929d0e0e4736"
        let spanHex = "00f067aa0ba902b7"
        let json = self == .otlpJSON
        for r in request.resourceSpans.indices {
            for s in request.resourceSpans[r].scopeSpans.indices {
                for p in request.resourceSpans[r].scopeSpans[s].spans.indices {
                    request.resourceSpans[r].scopeSpans[s].spans[p].traceID =
                        json ? Data(base64Encoded: traceHex)! : OTLPSpanID.bytes(hex: traceHex)
                    request.resourceSpans[r].scopeSpans[s].spans[p].spanID =
                        json ? Data(base64Encoded: spanHex)! : OTLPSpanID.bytes(hex: spanHex)
                }
            }
        }
        if json {
            var options = JSONEncodingOptions()
            options.alwaysPrintEnumsAsInts = true
            return (try? request.jsonUTF8Bytes(options: options)) ?? []
        }
        return (try? request.serializedBytes()) ?? []
    }
}

/// A JSON string literal: quotes, backslashes and C0 controls escaped (JSON forbids those raw);
/// DEL and C1 controls stay raw, so both the escaped and the raw paths are exercised.
private func json(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar.value {
        case 0x22: out += "\\\""
        case 0x5C: out += "\\\\"
        case 0..<0x20:
            out +=
                "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                + String(scalar.value, radix: 16)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
