/// A key that is not a known setting is an error, not silently ignored: a typo such as
/// `window_second` must not fall back to the default without a word.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension Decoder {
    func strictContainer<Key: CodingKey & CaseIterable>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key>
    where Key.AllCases: Collection {
        let all = try container(keyedBy: AnyCodingKey.self)
        let known = Set(Key.allCases.map(\.stringValue))
        for key in all.allKeys where !known.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: codingPath + [key],
                    debugDescription:
                        "unknown setting; expected one of: \(known.sorted().joined(separator: ", "))"))
        }
        return try container(keyedBy: type)
    }
}

extension KeyedDecodingContainer {
    /// An integer setting, or nil when absent. Anything else fails with what was expected and
    /// what the file holds (`expected an integer number of seconds, got "abc"`), instead of
    /// the decoder's description of Swift types.
    func decodeInteger(_ key: Key, expected: String) throws -> Int? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let value = try? decode(Int.self, forKey: key) { return value }
        throw DecodingError.dataCorruptedError(
            forKey: key, in: self, debugDescription: "expected \(expected), got \(found(key))")
    }

    /// A number setting, or nil when absent; as `decodeInteger`.
    func decodeNumber(_ key: Key, expected: String) throws -> Double? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let value = try? decode(Double.self, forKey: key), value.isFinite { return value }
        throw DecodingError.dataCorruptedError(
            forKey: key, in: self, debugDescription: "expected \(expected), got \(found(key))")
    }

    /// What the file holds at `key`, for a message: the scalar's text in quotes, or its shape.
    private func found(_ key: Key) -> String {
        if let text = try? decode(String.self, forKey: key) { return "\"\(text)\"" }
        if (try? nestedUnkeyedContainer(forKey: key)) != nil { return "a list" }
        return "a mapping"
    }
}
