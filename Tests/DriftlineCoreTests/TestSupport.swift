@testable import DriftlineCore

/// SplitMix64 (S. Vigna): a tiny, seedable generator so randomized tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

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
