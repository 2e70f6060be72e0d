import Foundation

/// Trace and span ids: checked for length and turned into the lowercase hex the events carry.
enum OTLPSpanID {
    /// Protobuf ids are raw bytes; `byteCount` is 16 for a trace id and 8 for a span id.
    static func hex(bytes: UnsafeRawBufferPointer, byteCount: Int) -> String? {
        guard bytes.count == byteCount else { return nil }
        return hexString(bytes)
    }

    /// OTLP/JSON ids are hex strings, but SwiftProtobuf reads a `bytes` field from JSON as
    /// base64. Every hex digit is also a base64 digit, and a hex id's length (32 or 16) is a
    /// multiple of 4, so base64-decoding is a bijection here: encoding the decoded bytes as base64
    /// again gives back exactly the text that was sent, which is then read as hex. Any other
    /// length or a non-hex digit fails the check below.
    static func hex(jsonBase64Decoded bytes: UnsafeRawBufferPointer, hexDigits: Int) -> String? {
        guard bytes.count * 4 == hexDigits * 3 else { return nil }
        let text = Data(bytes).base64EncodedString()
        guard text.utf8.count == hexDigits else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(hexDigits)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): out.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): out.append(byte + 32)
            default: return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// What the JSON text of an id was, for error messages (best effort).
    static func jsonText(_ bytes: UnsafeRawBufferPointer) -> String {
        Data(bytes).base64EncodedString()
    }

    /// The raw bytes of a hex id (for encoding OTLP).
    static func bytes(hex: String) -> Data {
        var data = Data()
        data.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for byte in hex.utf8 {
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: continue
            }
            if let h = high {
                data.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return data
    }

    private static let digits = Array("0123456789abcdef".utf8)

    static func hexString(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            var index = 0
            for byte in bytes {
                buffer[index] = digits[Int(byte >> 4)]
                buffer[index + 1] = digits[Int(byte & 0x0F)]
                index += 2
            }
            return index
        }
    }
}
