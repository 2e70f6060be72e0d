/// Little-endian fixed-width encoding shared by the detector snapshots. Doubles are stored as
/// their IEEE 754 bit patterns so a restored detector continues with exactly the same numbers.
struct SnapshotWriter {
    private(set) var bytes: [UInt8] = []

    init(magic: [UInt8], version: UInt8) {
        bytes.append(contentsOf: magic)
        bytes.append(version)
    }

    mutating func append(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func append(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    mutating func append(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ value: Double) {
        append(value.bitPattern)
    }

    /// A nested snapshot, prefixed with its length.
    mutating func appendBlock(_ block: [UInt8]) {
        append(UInt32(block.count))
        bytes.append(contentsOf: block)
    }
}

struct SnapshotReader {
    private let bytes: [UInt8]
    private var position = 0

    /// Reads the header; throws unless it carries `magic` and `version`.
    init(_ bytes: some Collection<UInt8>, magic: [UInt8], version: UInt8, detector: String) throws {
        self.bytes = Array(bytes)
        guard self.bytes.count >= magic.count + 1, self.bytes.prefix(magic.count).elementsEqual(magic) else {
            throw DetectorSnapshotError(.wrongDetector, "the bytes are not a \(detector) snapshot")
        }
        position = magic.count
        let found = self.bytes[position]
        position += 1
        guard found == version else {
            throw DetectorSnapshotError(
                .unsupportedVersion, "\(detector) snapshot format \(found); this build reads format \(version)")
        }
    }

    private mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard bytes.count - position >= n else {
            throw DetectorSnapshotError(
                .truncated, "the snapshot ends at byte \(bytes.count), needed \(n) more from byte \(position)")
        }
        defer { position += n }
        return bytes[position..<position + n]
    }

    mutating func readUInt8() throws -> UInt8 {
        try take(1).first!
    }

    mutating func readBool() throws -> Bool {
        switch try readUInt8() {
        case 0: return false
        case 1: return true
        case let other: throw DetectorSnapshotError(.invalidState, "flag byte \(other) is neither 0 nor 1")
        }
    }

    mutating func readUInt32() throws -> UInt32 {
        var value: UInt32 = 0
        for (shift, byte) in try take(4).enumerated() { value |= UInt32(byte) << (8 * shift) }
        return value
    }

    mutating func readUInt64() throws -> UInt64 {
        var value: UInt64 = 0
        for (shift, byte) in try take(8).enumerated() { value |= UInt64(byte) << (8 * shift) }
        return value
    }

    mutating func readDouble() throws -> Double {
        Double(bitPattern: try readUInt64())
    }

    /// A nested snapshot written by `appendBlock`.
    mutating func readBlock() throws -> ArraySlice<UInt8> {
        try take(Int(try readUInt32()))
    }

    func expectEnd() throws {
        guard position == bytes.count else {
            throw DetectorSnapshotError(
                .trailingBytes, "\(bytes.count - position) bytes follow the snapshot's end at byte \(position)")
        }
    }
}
