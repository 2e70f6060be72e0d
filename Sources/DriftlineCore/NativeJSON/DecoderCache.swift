import Synchronization

/// Per-decoder memory of values that repeat from record to record, so that they are built
/// once rather than per record.
///
/// - Strings: creating a `String` validates and copies its bytes, and allocates when it
///   is longer than 15 bytes; for a typical record that was a tenth of the decoding time.
///   Short field values (model, provider, dimensions, label keys and values, …) go
///   through a fixed-size, direct-mapped table: a hit costs a hash of at most four words
///   and a compare, and returns a copy of the cached value.
/// - The `labels` object: a dictionary costs an allocation and a hash per key, and label
///   sets rarely change between records of one producer. The last labels object's exact
///   bytes are kept with its dictionary; a record whose labels start with the same bytes
///   gets the same (shared, copy-on-write) dictionary.
///
/// One decoder value may be shared by several tasks, so the cache has an owner flag: a
/// decode that finds it in use by another thread simply decodes without it.
final class DecoderCache: @unchecked Sendable {
    // @unchecked: everything but `inUse` is only read or written by the thread that set
    // `inUse`.
    private let inUse = Atomic<Bool>(false)
    let entries: UnsafeMutablePointer<Entry>
    /// The text of the last `labels` object decoded, from `{` to `}`, and its value.
    var labelsText: [UInt8] = []
    var labels: [String: String] = [:]

    /// Values longer than this are not cached: they are rarely repeated dimension values,
    /// and four words keep the compare cheap.
    static let maxLength = 32
    /// Labels objects longer than this are not cached, to bound the compare.
    static let maxLabelsLength = 512
    private static let slotBits = 9

    struct Entry {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        /// -1 marks an empty slot.
        var length = -1
        var value = ""
    }

    init() {
        let slots = 1 << DecoderCache.slotBits
        entries = UnsafeMutablePointer<Entry>.allocate(capacity: slots)
        entries.initialize(repeating: Entry(), count: slots)
    }

    deinit {
        let slots = 1 << DecoderCache.slotBits
        entries.deinitialize(count: slots)
        entries.deallocate()
    }

    /// Runs `body` with exclusive use of the cache, or with nil when another thread has it.
    func withExclusiveAccess<Result>(
        _ body: (DecoderCache?) throws(DecodeError) -> Result
    ) throws(DecodeError) -> Result {
        guard inUse.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return try body(nil)
        }
        defer { inUse.store(false, ordering: .releasing) }
        return try body(self)
    }

    /// The string for the `length` valid UTF-8 bytes at `p`, from the table when cached.
    /// `readable` is how many bytes may be read from `p`, at least `length`.
    @inline(__always)
    static func string(
        _ p: UnsafePointer<UInt8>, length: Int, readable: Int, table: UnsafeMutablePointer<Entry>
    ) -> String {
        let words = loadWords(p, length: length, readable: readable)
        var hash = words.0 ^ (words.1 << 17 | words.1 >> 47) ^ (words.2 << 31 | words.2 >> 33)
        hash ^= (words.3 << 47 | words.3 >> 17) ^ UInt64(length)
        // Fibonacci hashing: the top bits of a multiply by 2^64/φ spread similar keys.
        let slot = Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - slotBits))
        let entry = table + slot
        if entry.pointee.length == length, entry.pointee.words == words {
            return entry.pointee.value
        }
        let value = String(decoding: UnsafeBufferPointer(start: p, count: length), as: UTF8.self)
        entry.pointee = Entry(words: words, length: length, value: value)
        return value
    }

    /// Whether the `available` bytes at `p` begin with the text of the cached labels object.
    /// A JSON object ends at its matching brace, so equal text means an equal object.
    func matchesLabels(_ p: UnsafePointer<UInt8>, available: Int) -> Bool {
        let count = labelsText.count
        guard count > 0, count <= available else { return false }
        return labelsText.withUnsafeBufferPointer { cached in
            guard let cachedBase = cached.baseAddress else { return false }
            var index = 0
            while index + 8 <= count {
                let lhs = UnsafeRawPointer(p + index).loadUnaligned(as: UInt64.self)
                let rhs = UnsafeRawPointer(cachedBase + index).loadUnaligned(as: UInt64.self)
                if lhs != rhs { return false }
                index += 8
            }
            while index < count {
                if p[index] != cachedBase[index] { return false }
                index += 1
            }
            return true
        }
    }

    /// The bytes as four little-endian words, zero past `length`.
    @inline(__always)
    private static func loadWords(
        _ p: UnsafePointer<UInt8>, length: Int, readable: Int
    ) -> (UInt64, UInt64, UInt64, UInt64) {
        if readable >= 32 {
            let raw = UnsafeRawPointer(p)
            return (
                UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) & mask(length),
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) & mask(length - 8),
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)) & mask(length - 16),
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)) & mask(length - 24)
            )
        }
        // Near the end of the record: gather byte by byte rather than read past it.
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { buffer in
            for index in 0..<length { buffer[index] = p[index] }
        }
        return (
            UInt64(littleEndian: words.0), UInt64(littleEndian: words.1),
            UInt64(littleEndian: words.2), UInt64(littleEndian: words.3)
        )
    }

    /// Keeps the low `count` bytes of a word (all for 8 or more, none for 0 or fewer).
    @inline(__always)
    private static func mask(_ count: Int) -> UInt64 {
        if count >= 8 { return ~0 }
        if count <= 0 { return 0 }
        return (1 << UInt64(count * 8)) &- 1
    }
}
