import DriftlineAlerts
import Testing

struct AlertFingerprintTests {
    /// Oracle: Python's hashlib over the documented byte string,
    /// `sha256(b"chat-ttft:page-1h\0alertname\0chat-ttft\0model\0a-model\0severity\0page").hexdigest()[:16]`.
    @Test func fingerprintIsTheSHA256PrefixOfRuleAndSortedLabels() {
        let fingerprint = AlertFingerprint(
            rule: "chat-ttft:page-1h", labels: ["severity": "page", "model": "a-model", "alertname": "chat-ttft"])
        #expect(fingerprint.hex == "8dabc357e359a549")
    }

    @Test func fingerprintDependsOnRuleAndEveryLabel() {
        let labels = ["model": "gpt-4o", "severity": "page"]
        let base = AlertFingerprint(rule: "r", labels: labels)
        #expect(AlertFingerprint(rule: "r2", labels: labels) != base)
        #expect(AlertFingerprint(rule: "r", labels: ["model": "gpt-4o", "severity": "ticket"]) != base)
        #expect(AlertFingerprint(rule: "r", labels: ["model": "gpt-4o"]) != base)
        // Moving text between a name and its value changes the bytes.
        #expect(
            AlertFingerprint(rule: "r", labels: ["mo": "del"]) != AlertFingerprint(rule: "r", labels: ["mod": "el"]))
    }
}
