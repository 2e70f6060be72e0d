import DriftlineCore
import DriftlineStore
import Foundation
import Testing

@testable import DriftlinePipeline

@Suite("Window aggregation")
struct AggregationTests {
    @Test(arguments: [
        (Int64(1_764_072_061_500_000), 60, Int64(1_764_072_060)),
        (Int64(1_764_072_060_000_000), 60, Int64(1_764_072_060)),
        (Int64(1_764_072_059_999_999), 60, Int64(1_764_072_000)),
        (Int64(-1), 60, Int64(-60)),
        (Int64(-60_000_000), 60, Int64(-60)),
        (Int64(3_599_000_000), 3600, Int64(0)),
    ])
    func windowStartIsTheFloor(micros: Int64, windowSeconds: Int, expected: Int64) {
        let dimensions = WindowGrouping(windowSeconds: windowSeconds, dimensions: [.model], labels: [])
        #expect(dimensions.windowStart(of: EventTime(microsecondsSinceEpoch: micros)) == expected)
    }

    @Test func lateEventsMergeIntoTheirOwnWindowAndAreCounted() throws {
        var aggregator = WindowAggregator(
            dimensions: WindowGrouping(windowSeconds: 60, dimensions: [.model, .tenant], labels: ["region"]))
        let partition = SourcePartition(topic: "t", partition: 0)
        func event(_ second: Int64, model: String = "m") -> LLMEvent {
            var event = LLMEvent(
                start: EventTime(microsecondsSinceEpoch: second * 1_000_000),
                end: EventTime(microsecondsSinceEpoch: second * 1_000_000 + 500_000), model: model)
            event.dimensions.tenant = "acme"
            event.dimensions.labels = ["region": "eu", "ignored": "x"]
            return event
        }
        aggregator.add(event(0), from: partition)
        aggregator.add(event(61), from: partition)
        aggregator.add(event(30), from: partition)  // late: window 0 after window 60 was seen
        aggregator.add(event(45), from: SourcePartition(topic: "t", partition: 1))  // not late on its own partition
        let windows = aggregator.take().windows
        #expect(windows.count == 2)
        let first = try #require(windows.first { $0.key.windowStart == 0 })
        #expect(first.value.requests == 3)
        #expect(first.value.lateEvents == 1)
        #expect(first.key.tenant == "acme")
        #expect(first.key.app == "")
        #expect(first.key.labelsJSON == #"{"region":"eu"}"#)
        #expect(first.value.latencyMilliseconds.count == 3)
        // After a flush the late-event bookkeeping stays.
        aggregator.add(event(5), from: partition)
        #expect(aggregator.take().windows.first?.value.lateEvents == 1)
    }
}
