extension SpecMapping {
    /// `severity:`, `page` or `ticket` (default ticket).
    func severity() throws(AlertSpecError) -> AlertSeverity {
        let text = try optionalString("severity") ?? "ticket"
        guard text == "page" || text == "ticket" else {
            throw error(.invalidValue, key: "severity", expected: "page or ticket", found: text)
        }
        return AlertSeverity(text)
    }

    /// `labels:`, without the labels Driftline sets itself.
    func labels(reserved: [String]) throws(AlertSpecError) -> [String: String] {
        let labels = try optionalStringMap("labels") ?? [:]
        for name in reserved where labels[name] != nil {
            throw error(.invalidValue, key: "labels", expected: "no label named \(name) (set by Driftline)")
        }
        return labels
    }
}
