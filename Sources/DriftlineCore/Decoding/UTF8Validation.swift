/// UTF-8 well-formedness of one multi-byte sequence, per the Unicode standard, table 3-7:
/// no overlong forms, no surrogates, nothing above U+10FFFF.
///
/// The decoder checks UTF-8 while it scans strings rather than in a separate pass: outside
/// strings JSON allows only ASCII, so every non-ASCII byte of a record is either inside a
/// string, where the scanner stops on it, or a syntax error.
enum UTF8Validation {
    enum Sequence: Equatable {
        /// A well-formed sequence of this many bytes.
        case valid(length: Int)
        case invalid
        /// The input ends in the middle of an otherwise well-formed sequence.
        case truncated
    }

    /// Classifies the sequence whose lead byte (≥ 0x80) is at `index`.
    static func sequence(at index: Int, in p: UnsafePointer<UInt8>, count: Int) -> Sequence {
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch p[index] {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: return .invalid
        }
        for offset in 1..<length {
            guard index + offset < count else { return .truncated }
            let byte = p[index + offset]
            let (low, high) = offset == 1 ? (lower, upper) : (0x80, 0xBF)
            guard byte >= low, byte <= high else { return .invalid }
        }
        return .valid(length: length)
    }
}
