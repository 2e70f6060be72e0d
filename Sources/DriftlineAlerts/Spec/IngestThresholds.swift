/// The thresholded counters (`ttft_at_or_below_ms(1500)`, …) that the loaded SLOs name: the list the ingest
/// analyser counts exactly per window, so that latency SLIs never read bucket edges of a histogram.
public enum IngestThresholds {
    public static func counters(in rules: [any AlertRule]) -> [CounterReference] {
        var seen: Set<CounterReference> = []
        for case let slo as SLOSpec in rules {
            for counter in [slo.sli.good, slo.sli.total] where counter.thresholdMilliseconds != nil {
                seen.insert(counter)
            }
        }
        return seen.sorted { $0.description < $1.description }
    }
}
