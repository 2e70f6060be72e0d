/// The periods a scheduled drift evaluation compares, shared by `drift.psi` and
/// `drift.embeddings`: the current period ends at the last whole window before `now`; the
/// reference is the fixed one when configured, else the trailing `referenceSeconds` before it.
enum ReferencePeriod {
    static func periods(
        now: Int64, windowSeconds: Int64, currentSeconds: Int, referenceSeconds: Int, fixed: Range<Int64>?
    ) -> (reference: Range<Int64>, current: Range<Int64>) {
        let end = now - ((now % windowSeconds) + windowSeconds) % windowSeconds
        let current = (end - Int64(currentSeconds))..<end
        return (fixed ?? (current.lowerBound - Int64(referenceSeconds))..<current.lowerBound, current)
    }
}

extension KeyedDecodingContainer {
    /// A fixed reference period from two RFC 3339 times (`from` < `to`), nil when neither is
    /// set; one without the other, an unreadable time or an empty range is an error naming the key.
    func decodeFixedReference(from fromKey: Key, to toKey: Key) throws -> Range<Int64>? {
        let from = try decodeIfPresent(String.self, forKey: fromKey)
        let to = try decodeIfPresent(String.self, forKey: toKey)
        switch (from, to) {
        case (nil, nil):
            return nil
        case (let from?, let to?):
            let start = try instant(from, fromKey)
            let end = try instant(to, toKey)
            guard start < end else {
                throw DecodingError.dataCorruptedError(
                    forKey: toKey, in: self, debugDescription: "expected a time after \(fromKey.stringValue)")
            }
            return start..<end
        default:
            throw DecodingError.dataCorruptedError(
                forKey: from == nil ? fromKey : toKey, in: self,
                debugDescription:
                    "a fixed reference needs both \(fromKey.stringValue) and \(toKey.stringValue)")
        }
    }

    private func instant(_ text: String, _ key: Key) throws -> Int64 {
        guard let seconds = ReportPeriod.seconds(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self,
                debugDescription: "expected an RFC 3339 time such as 2026-11-01T00:00:00Z, got \"\(text)\"")
        }
        return seconds
    }
}
