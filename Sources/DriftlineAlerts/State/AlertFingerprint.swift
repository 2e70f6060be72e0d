import Crypto

/// Stable identity of an alert series: the first 16 hex digits (64 bits) of SHA-256 over the rule name and the
/// label set, so it survives restarts, processes and label order.
///
/// Hashed bytes: the rule name in UTF-8, then for each label in ascending order of the name's UTF-8 bytes:
/// `0x00`, name, `0x00`, value. Neither names nor values can contain `0x00` in practice, so the encoding is
/// unambiguous. (Alertmanager's own fingerprint is FNV-1a of the labels; receivers treat it as opaque.)
public struct AlertFingerprint: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public let hex: String

    public init(hex: String) {
        self.hex = hex
    }

    public init(rule: String, labels: [String: String]) {
        var bytes = Array(rule.utf8)
        let ordered = labels.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
        for (name, value) in ordered {
            bytes.append(0)
            bytes.append(contentsOf: name.utf8)
            bytes.append(0)
            bytes.append(contentsOf: value.utf8)
        }
        let digest = SHA256.hash(data: bytes)
        self.hex = String(digest.prefix(8).map { Self.hexByte($0) }.joined())
    }

    static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
    }

    public var description: String { hex }
    public static func < (lhs: AlertFingerprint, rhs: AlertFingerprint) -> Bool { lhs.hex < rhs.hex }
}
