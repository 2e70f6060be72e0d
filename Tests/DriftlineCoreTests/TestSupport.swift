import DriftlineStats

@testable import DriftlineCore

/// The seedable generator randomized tests use, so they are reproducible.
typealias SeededGenerator = SplitMix64

/// Decodes a record given as text, returning the error instead of throwing.
func decodeResult(
    _ json: String, decoder: NativeJSONDecoder = NativeJSONDecoder()
) -> Result<LLMEvent, DecodeError> {
    Result { () throws(DecodeError) in try decoder.decode(json) }
}

func decodeError(_ json: String, decoder: NativeJSONDecoder = NativeJSONDecoder()) -> DecodeError? {
    if case .failure(let error) = decodeResult(json, decoder: decoder) { return error }
    return nil
}

func decodeError(bytes: [UInt8], decoder: NativeJSONDecoder = NativeJSONDecoder()) -> DecodeError? {
    do {
        _ = try decoder.decode(bytes)
        return nil
    } catch {
        return error
    }
}

/// The smallest valid record, with `extra` members spliced in after the required ones.
func minimalRecord(_ extra: String = "") -> String {
    let required = #""model":"gpt-4o","start":"2026-11-25T12:00:00Z","end":"2026-11-25T12:00:01Z""#
    return extra.isEmpty ? "{\(required)}" : "{\(required),\(extra)}"
}
