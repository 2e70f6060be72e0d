import Foundation

/// `GenAIMapping` turned into one table from attribute key bytes to the fields it can fill, so a
/// span's attributes are read in one pass with one lookup each, without making a `String` of
/// their keys.
struct CompiledGenAIMapping: Sendable {
    /// The fields of `GenAIMapping`, by index; labels follow at `Field.labelBase + n`.
    enum Field: Int, CaseIterable {
        case operation, model, modelVersion, provider, requestID
        case inputTokens, outputTokens, totalTokens, cachedInputTokens, cacheWriteTokens, reasoningTokens
        case finishReason, ttft, tpot, endToEnd, errorType, httpStatus
        case app, environment, route, tenant, user, team

        static let labelBase = allCases.count
    }

    struct Slot: Sendable {
        var field: Int
        /// Position of the key in its field's list: lower wins.
        var rank: Int
    }

    let slots: AttributeKeyTable
    let labelNames: [String]
    let firstTokenEvents: Set<String>
    let promptContent: IndexedKey
    let responseContent: IndexedKey
    let retrievalDocuments: IndexedKey
    let llmOperations: Set<String>
    let operationAliases: [String: String]
    let inputTokensExcludeCache: Set<String>
    var fieldCount: Int { Field.labelBase + labelNames.count }

    init(_ mapping: GenAIMapping) {
        var slots: [String: [Slot]] = [:]
        func add(_ keys: [String], _ field: Int) {
            for (rank, key) in keys.enumerated() { slots[key, default: []].append(Slot(field: field, rank: rank)) }
        }
        let lists: [(Field, [String])] = [
            (.operation, mapping.operation), (.model, mapping.model), (.modelVersion, mapping.modelVersion),
            (.provider, mapping.provider), (.requestID, mapping.requestID), (.inputTokens, mapping.inputTokens),
            (.outputTokens, mapping.outputTokens), (.totalTokens, mapping.totalTokens),
            (.cachedInputTokens, mapping.cachedInputTokens), (.cacheWriteTokens, mapping.cacheWriteTokens),
            (.reasoningTokens, mapping.reasoningTokens), (.finishReason, mapping.finishReason),
            (.ttft, mapping.timeToFirstTokenSeconds), (.tpot, mapping.timePerOutputTokenSeconds),
            (.endToEnd, mapping.endToEndSeconds), (.errorType, mapping.errorType), (.httpStatus, mapping.httpStatus),
            (.app, mapping.app), (.environment, mapping.environment), (.route, mapping.route),
            (.tenant, mapping.tenant), (.user, mapping.user), (.team, mapping.team),
        ]
        for (field, keys) in lists { add(keys, field.rawValue) }
        let labels = mapping.labels.keys.sorted()
        for (index, label) in labels.enumerated() { add(mapping.labels[label] ?? [], Field.labelBase + index) }
        self.slots = AttributeKeyTable(slots)
        self.labelNames = labels
        self.firstTokenEvents = Set(mapping.firstTokenEvents)
        self.promptContent = IndexedKey(mapping.promptContent)
        self.responseContent = IndexedKey(mapping.responseContent)
        self.retrievalDocuments = IndexedKey(mapping.retrievalDocuments)
        self.llmOperations = mapping.llmOperations
        self.operationAliases = mapping.operationAliases
        self.inputTokensExcludeCache = mapping.inputTokensExcludeCache
    }
}

/// An open-addressing hash table from attribute key bytes to their slots, probed with the
/// bytes of a key in the record.
struct AttributeKeyTable: Sendable {
    private struct Entry: Sendable {
        var hash: UInt64
        var keyStart: Int
        var keyCount: Int
        var slotStart: Int
        var slotCount: Int
    }

    private let entries: [Entry]
    private let keyBytes: [UInt8]
    /// Every entry's slots, one after another.
    let slotList: [CompiledGenAIMapping.Slot]
    /// Entry index + 1 per bucket; 0 is empty.
    private let buckets: [Int32]
    private let mask: Int

    init(_ slots: [String: [CompiledGenAIMapping.Slot]]) {
        var entries: [Entry] = []
        var keyBytes: [UInt8] = []
        var slotList: [CompiledGenAIMapping.Slot] = []
        for (key, keySlots) in slots.sorted(by: { $0.key < $1.key }) {
            let bytes = Array(key.utf8)
            let hash = bytes.withUnsafeBytes { Self.hash($0.baseAddress!, bytes.count) }
            entries.append(
                Entry(
                    hash: hash, keyStart: keyBytes.count, keyCount: bytes.count, slotStart: slotList.count,
                    slotCount: keySlots.count))
            keyBytes += bytes
            slotList += keySlots
        }
        var capacity = 8
        while capacity < entries.count * 2 { capacity *= 2 }
        var buckets = [Int32](repeating: 0, count: capacity)
        for (index, entry) in entries.enumerated() {
            var bucket = Int(truncatingIfNeeded: entry.hash) & (capacity - 1)
            while buckets[bucket] != 0 { bucket = (bucket + 1) & (capacity - 1) }
            buckets[bucket] = Int32(index + 1)
        }
        self.entries = entries
        self.keyBytes = keyBytes
        self.slotList = slotList
        self.buckets = buckets
        self.mask = capacity - 1
    }

    /// Where in `slotList` the slots of the key are whose bytes are `count` bytes at `key`;
    /// empty when it is not mapped.
    @inline(__always)
    func slots(_ key: UnsafeRawPointer, _ count: Int) -> Range<Int> {
        let hash = Self.hash(key, count)
        var bucket = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = Int(buckets[bucket])
            if slot == 0 { return 0..<0 }
            let entry = entries[slot - 1]
            if entry.hash == hash, entry.keyCount == count,
                keyBytes.withUnsafeBytes({ memcmp($0.baseAddress! + entry.keyStart, key, count) == 0 })
            {
                return entry.slotStart..<(entry.slotStart + entry.slotCount)
            }
            bucket = (bucket + 1) & mask
        }
    }

    /// A multiply-and-fold hash of the bytes, eight at a time.
    @inline(__always)
    static func hash(_ key: UnsafeRawPointer, _ count: Int) -> UInt64 {
        var hash = 0x243F_6A88_85A3_08D3 ^ UInt64(count)
        var index = 0
        while count - index >= 8 {
            hash =
                (hash ^ UInt64(littleEndian: key.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 29
            index += 8
        }
        if index < count {
            var tail: UInt64 = 0
            for offset in 0..<(count - index) {
                tail |= UInt64(key.load(fromByteOffset: index + offset, as: UInt8.self)) << UInt64(offset * 8)
            }
            hash = (hash ^ tail) &* 0x9E37_79B9_7F4A_7C15
        }
        return hash ^ (hash >> 32)
    }
}

/// `GenAIMapping.IndexedAttribute` as bytes, matched against keys in the record.
struct IndexedKey: Sendable {
    let prefix: [UInt8]
    let suffix: [UInt8]

    init(_ attribute: GenAIMapping.IndexedAttribute) {
        prefix = Array(attribute.prefix.utf8)
        suffix = Array(attribute.suffix.utf8)
    }

    /// The index when the key is `prefix<digits>suffix`.
    func index(of key: UnsafeRawBufferPointer) -> Int? {
        guard key.count > prefix.count + suffix.count, key.starts(with: prefix),
            key[(key.count - suffix.count)...].elementsEqual(suffix)
        else { return nil }
        var value = 0
        for byte in key[prefix.count..<(key.count - suffix.count)] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), value < 1_000_000 else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
