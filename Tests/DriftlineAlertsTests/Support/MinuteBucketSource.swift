import DriftlineAlerts
import Foundation

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
