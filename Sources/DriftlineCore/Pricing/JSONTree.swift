/// A whole JSON document as a tree whose numbers keep their text, for files (such as
/// LiteLLM's price map) where a number must be read exactly rather than as a `Double`.
enum JSONTree: Sendable, Equatable {
    case object([(key: String, value: JSONTree)])
    case array([JSONTree])
    case string(String)
    /// The number exactly as written, e.g. `1.25e-07`.
    case number(String)
    case bool(Bool)
    case null

    static func == (a: JSONTree, b: JSONTree) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let x), .array(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.bool(let x), .bool(let y)): x == y
        case (.null, .null): true
        default: false
        }
    }

    /// Parses a document whose top level is an object.
    static func parse(_ bytes: [UInt8]) throws(DecodeError) -> JSONTree {
        // The scanner refuses a number as the very last token; a trailing newline keeps that
        // rule harmless for documents that end right after their closing brace.
        let padded = bytes + [UInt8(ascii: "\n")]
        return try padded.withUnsafeBufferPointer { buffer throws(DecodeError) -> JSONTree in
            guard let base = buffer.baseAddress else { throw DecodeError(.empty, reason: "empty document") }
            var scanner = JSONScanner(base: base, count: buffer.count)
            guard try scanner.peekToken() == UInt8(ascii: "{") else {
                throw DecodeError(.notAnObject, reason: "expected a JSON object at the top level")
            }
            let tree = try value(&scanner, depth: 1)
            scanner.skipWhitespace()
            if scanner.position != scanner.count {
                throw DecodeError(.trailingData, byteOffset: scanner.position, reason: "data after the document")
            }
            return tree
        }
    }

    private static func value(_ scanner: inout JSONScanner, depth: Int) throws(DecodeError) -> JSONTree {
        switch try scanner.peekToken() {
        case UInt8(ascii: "{"):
            guard depth < JSONScanner.maxDepth else { throw scanner.nestingError() }
            var members: [(key: String, value: JSONTree)] = []
            guard try scanner.beginObject() else { return .object([]) }
            repeat {
                let key = scanner.makeString(try scanner.nextKey())
                members.append((key, try value(&scanner, depth: depth + 1)))
            } while try scanner.endMember()
            return .object(members)
        case UInt8(ascii: "["):
            guard depth < JSONScanner.maxDepth else { throw scanner.nestingError() }
            var items: [JSONTree] = []
            guard try scanner.beginArray() else { return .array([]) }
            repeat {
                items.append(try value(&scanner, depth: depth + 1))
            } while try scanner.endElement()
            return .array(items)
        case UInt8(ascii: "\""):
            return .string(scanner.makeString(try scanner.scanString()))
        case UInt8(ascii: "t"):
            try scanner.scanLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try scanner.scanLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try scanner.scanLiteral("null")
            return .null
        default:
            let number = try scanner.scanNumber()
            return .number(scanner.text(of: number))
        }
    }

    subscript(key: String) -> JSONTree? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}
