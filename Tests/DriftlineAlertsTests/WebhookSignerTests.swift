import DriftlineAlerts
import Foundation
import Testing

struct WebhookSignerTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let key: [UInt8]
        let data: [UInt8]
        let hmacSHA256: String
        var testDescription: String { name }
    }

    /// RFC 4231, section 4: test cases 1–4, 6 and 7 (case 5 checks truncated output, which we never send).
    static let rfc4231: [Vector] = [
        Vector(
            name: "1", key: Array(repeating: 0x0b, count: 20), data: Array("Hi There".utf8),
            hmacSHA256: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        Vector(
            name: "2", key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8),
            hmacSHA256: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        Vector(
            name: "3", key: Array(repeating: 0xaa, count: 20), data: Array(repeating: 0xdd, count: 50),
            hmacSHA256: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        Vector(
            name: "4", key: Array(1...25), data: Array(repeating: 0xcd, count: 50),
            hmacSHA256: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        Vector(
            name: "6", key: Array(repeating: 0xaa, count: 131),
            data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            hmacSHA256: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        Vector(
            name: "7", key: Array(repeating: 0xaa, count: 131),
            data: Array(
                ("This is a test using a larger than block-size key and a larger than block-size data. The key needs "
                    + "to be hashed before being used by the HMAC algorithm.").utf8),
            hmacSHA256: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test(arguments: rfc4231)
    func hmacMatchesRFC4231(_ vector: Vector) {
        let mac = WebhookSigner.hmacSHA256(key: vector.key, message: vector.data)
        #expect(mac.map { String(format: "%02x", $0) }.joined() == vector.hmacSHA256)
    }

    /// Fixed vector for the documented signed string, computed with Python's hmac:
    /// `hmac.new(b"s3cret", b"1764621998." + b'{"version":"4"}', hashlib.sha256).hexdigest()`.
    @Test func signatureCoversTimestampDotBody() {
        let signer = WebhookSigner(secret: "s3cret")
        let body = Array(#"{"version":"4"}"#.utf8)
        #expect(
            signer.signature(body: body, timestamp: 1_764_621_998)
                == "sha256=87e7ac412ab74080ceb8f839d232ff3365ddb1cf09d9611294f91f619e918cff")
    }

    @Test func headersVerifyAndTamperingOrStaleTimestampsDoNot() {
        let signer = WebhookSigner(secret: "s3cret")
        let body = Array(#"{"status":"firing"}"#.utf8)
        let sent = Date(timeIntervalSince1970: 1_764_621_998.7)
        let headers = Dictionary(uniqueKeysWithValues: signer.headers(body: body, at: sent).map { ($0.name, $0.value) })
        let timestamp = headers[WebhookSigner.timestampHeader] ?? ""
        let signature = headers[WebhookSigner.signatureHeader] ?? ""
        #expect(timestamp == "1764621998")
        #expect(signer.verify(body: body, timestampHeader: timestamp, signatureHeader: signature, now: sent))
        #expect(!signer.verify(body: body + [0x20], timestampHeader: timestamp, signatureHeader: signature, now: sent))
        #expect(!signer.verify(body: body, timestampHeader: "1764621999", signatureHeader: signature, now: sent))
        #expect(
            !signer.verify(
                body: body, timestampHeader: timestamp, signatureHeader: signature,
                now: sent.addingTimeInterval(301)))
        #expect(
            !WebhookSigner(secret: "other").verify(
                body: body, timestampHeader: timestamp, signatureHeader: signature, now: sent))
    }
}
