import DriftlineAlerts
import Foundation

/// A generated request stream for brute-force oracles: one event per request with its time, dimensions and
/// whether it was good.
struct StreamEvent: Sendable {
    var time: Date
    var group: AlertGroup
    var good: Bool
}

/// SplitMix64 (Steele, Lea, Flood 2014), so generated streams are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The store as the evaluator sees it: sums events into one-minute windows keyed by group, and answers a query
/// from the minute windows starting in `[end − window, end)`, as the Postgres aggregates will.
struct MinuteBucketSource: EventCountSource, MetricSource {
    let buckets: [Int64: [AlertGroup: EventCounts]]

    init(events: [StreamEvent]) {
        var buckets: [Int64: [AlertGroup: EventCounts]] = [:]
        for event in events {
            let minute = Int64((event.time.timeIntervalSince1970 / 60).rounded(.down))
            buckets[minute, default: [:]][event.group, default: .zero] =
                buckets[minute, default: [:]][event.group, default: .zero]
                + EventCounts(good: event.good ? 1 : 0, total: 1)
        }
        self.buckets = buckets
    }

    func eventCounts(_ query: EventCountQuery) async throws -> [AlertGroup: EventCounts] {
        let end = Int64((query.end.timeIntervalSince1970 / 60).rounded(.down))
        let minutes = Int64(query.window.components.seconds / 60)
        var result: [AlertGroup: EventCounts] = [:]
        for minute in (end - minutes)..<end {
            for (group, counts) in buckets[minute] ?? [:] {
                let projected = AlertGroup(group.values.filter { query.groupBy.contains($0.key) })
                guard query.filter.matches(group.values) else { continue }
                result[projected, default: .zero] = result[projected, default: .zero] + counts
            }
        }
        return result
    }

    func metricValues(_ query: MetricQuery) async throws -> [AlertGroup: Double] { [:] }
}
