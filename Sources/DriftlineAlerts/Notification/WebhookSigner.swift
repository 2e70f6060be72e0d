import Crypto
public import Foundation

/// Signs webhook bodies with HMAC-SHA256 (RFC 2104, FIPS 198-1) when a receiver has a secret.
///
/// Headers sent with every signed call:
/// - `X-Driftline-Timestamp`: the Unix time of sending in whole seconds, e.g. `1764621998`;
/// - `X-Driftline-Signature`: `sha256=` and the lower-case hex HMAC-SHA256, keyed with the secret's UTF-8 bytes,
///   of the timestamp text, a `.`, and the raw body bytes exactly as sent: `"1764621998." + body`.
///
/// Including the timestamp lets a receiver refuse replays older than a few minutes. Verify in Python:
///
/// ```python
/// expected = "sha256=" + hmac.new(secret, ts.encode() + b"." + body, hashlib.sha256).hexdigest()
/// ok = hmac.compare_digest(expected, request.headers["X-Driftline-Signature"]) and abs(time.time() - int(ts)) < 300
/// ```
public struct WebhookSigner: Sendable {
    public static let signatureHeader = "X-Driftline-Signature"
    public static let timestampHeader = "X-Driftline-Timestamp"
    public static let signaturePrefix = "sha256="

    /// Kept as bytes: swift-crypto 3's `SymmetricKey` is not `Sendable`.
    private let secret: [UInt8]

    public init(secret: String) {
        self.secret = Array(secret.utf8)
    }

    public init(secret: [UInt8]) {
        self.secret = secret
    }

    private var key: SymmetricKey { SymmetricKey(data: secret) }

    /// The bytes that are signed: `"<timestamp>." + body`.
    public static func signedBytes(body: [UInt8], timestamp: Int64) -> [UInt8] {
        Array("\(timestamp).".utf8) + body
    }

    /// `sha256=<hex>` for `body` sent at `timestamp` (Unix seconds).
    public func signature(body: [UInt8], timestamp: Int64) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Self.signedBytes(body: body, timestamp: timestamp), using: key)
        return Self.signaturePrefix + mac.map(AlertFingerprint.hexByte).joined()
    }

    /// Both headers for a call sent at `time`.
    public func headers(body: [UInt8], at time: Date) -> [(name: String, value: String)] {
        let timestamp = Int64(time.timeIntervalSince1970.rounded(.down))
        return [
            (Self.timestampHeader, String(timestamp)),
            (Self.signatureHeader, signature(body: body, timestamp: timestamp)),
        ]
    }

    /// What a receiver does: recompute, compare in constant time, and refuse timestamps further than `tolerance`
    /// from `now`.
    public func verify(
        body: [UInt8], timestampHeader: String, signatureHeader: String, now: Date, tolerance: Duration = .seconds(300)
    ) -> Bool {
        guard let timestamp = Int64(timestampHeader),
            abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance.timeInterval,
            signatureHeader.hasPrefix(Self.signaturePrefix),
            let mac = Self.bytes(hex: String(signatureHeader.dropFirst(Self.signaturePrefix.count)))
        else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(
            mac, authenticating: Self.signedBytes(body: body, timestamp: timestamp), using: key)
    }

    /// Plain HMAC-SHA256 of `message` under `key`; the primitive the signature uses, exposed for the RFC 4231
    /// test vectors and for receivers written in Swift.
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            result.append(high << 4 | low)
            index += 2
        }
        return result
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
