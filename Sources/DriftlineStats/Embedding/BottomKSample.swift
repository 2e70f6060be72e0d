/// A bounded uniform sample that merges exactly: every item carries a 64-bit hash of a stable
/// key (a request id), and the sample keeps the `capacity` items with the smallest hashes
/// (a bottom-k sketch; Cohen & Kaplan, "Summarizing Data using Bottom-k Sketches", PODC 2007).
///
/// Because which items are kept depends only on their hashes, the sample of a union is the
/// bottom-k of the samples of its parts, whatever the order the items arrived in, how they were
/// split across flushes, consumers or windows, and whether a replay added some again: merging the
/// windows of a period gives exactly the sample a single pass over the period would keep. With a
/// well-mixed hash the kept items are a uniform sample without replacement of the distinct keys.
///
/// Items with equal hashes are the same item (a key added twice); the first kept stays.
public struct BottomKSample<Item: Sendable>: Sendable {
    public let capacity: Int
    /// Kept items, sorted by hash ascending; at most `capacity`.
    public private(set) var entries: [Entry] = []

    public struct Entry: Sendable {
        public var hash: Int64
        public var item: Item

        public init(hash: Int64, item: Item) {
            self.hash = hash
            self.item = item
        }
    }

    /// An empty sample of at most `capacity` items (at least 1).
    public init(capacity: Int) {
        precondition(capacity >= 1, "a bottom-k sample keeps at least one item")
        self.capacity = capacity
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var items: [Item] { entries.map(\.item) }

    /// The largest hash a new item may have and still be kept; `Int64.max` while not full.
    public var threshold: Int64 { entries.count < capacity ? .max : entries[entries.count - 1].hash }

    /// Whether an item of `hash` would be kept: lets a caller skip building the item.
    public func wouldKeep(_ hash: Int64) -> Bool { entries.count < capacity || hash < threshold }

    /// Offers one item; returns whether it was kept.
    @discardableResult
    public mutating func add(hash: Int64, _ item: Item) -> Bool {
        guard wouldKeep(hash) else { return false }
        let index = insertionIndex(hash)
        if index < entries.count, entries[index].hash == hash { return false }
        entries.insert(Entry(hash: hash, item: item), at: index)
        if entries.count > capacity { entries.removeLast() }
        return true
    }

    /// Adds every item of another sample (of any capacity): the result is the bottom-k of the union.
    public mutating func merge(_ other: BottomKSample<Item>) {
        for entry in other.entries {
            guard wouldKeep(entry.hash) else { break }
            add(hash: entry.hash, entry.item)
        }
    }

    /// First index whose hash is ≥ `hash` (binary search).
    private func insertionIndex(_ hash: Int64) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].hash < hash { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// The 64-bit hash that orders a bottom-k sample: FNV-1a over the key's bytes, then SplitMix64's
/// finaliser (Steele, Lea & Flood 2014) so that keys differing in one byte land far apart. Fixed
/// across runs, machines and versions, so a replay keeps the same items.
public enum SampleHash {
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> Int64 where Bytes.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return Int64(bitPattern: mix(h))
    }

    public static func hash(_ key: String) -> Int64 { hash(key.utf8) }

    /// SplitMix64's output function.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
