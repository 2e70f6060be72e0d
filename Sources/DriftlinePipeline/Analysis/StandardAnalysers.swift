import DriftlineAlerts
import DriftlineCore

extension PipelineConfiguration {
    /// The analysers a pipeline runs, in flush order: window aggregates, span counts, the
    /// categorical features (finish reasons and those `drift.psi.features` names), first
    /// appearances of models, versions and `drift.change_labels` values, exact counts of the latency thresholds the alert rules' SLOs declare, the online
    /// drift detectors (unless `drift.detectors: off`), embedding sums and samples (with
    /// `drift.embeddings`), with a price catalogue, costs (with the pricing enricher before them)
    /// and, with `quality:` and a scoring queue, the faithfulness sampler.
    func analysis(catalogue: PriceCatalogue?, alertRules: [any AlertRule] = [], scoringQueue: ScoringQueue? = nil)
        -> (enrichers: [any EventEnricher], analysers: [any EventAnalyser])
    {
        let windowing = WindowGrouping(aggregation)
        var enrichers: [any EventEnricher] = []
        var analysers: [any EventAnalyser] = [
            WindowAggregator(dimensions: windowing), SpanCounter(windowing: windowing),
            CategoryCounter(dimensions: windowing, features: categoricalFeatures),
            ChangeTracker(labels: drift.changeLabels),
        ]
        let thresholds = Self.ingestThresholds(alertRules)
        if !thresholds.isEmpty {
            analysers.append(ThresholdCounter(dimensions: windowing, thresholds: thresholds))
        }
        if let detectors = drift.detectors {
            analysers.append(DriftDetectorAnalyser(consumerGroup: kafka.groupID, settings: detectors))
        }
        if let embeddings = drift.embeddings {
            analysers.append(
                EmbeddingCentroidAnalyser(windowSeconds: aggregation.windowSeconds, settings: embeddings))
        }
        if let catalogue {
            enrichers.append(PricingEnricher(catalogue: catalogue))
            analysers.append(CostAggregator(settings: costs, windowSeconds: aggregation.windowSeconds))
        }
        if let quality, let scoringQueue {
            analysers.append(
                QualitySampler(
                    consumerGroup: kafka.groupID, settings: quality, grouping: windowing, queue: scoringQueue))
        }
        return (enrichers, analysers)
    }

    /// The finish reason always, and every categorical feature the PSI evaluation compares.
    var categoricalFeatures: [CategoricalFeature] {
        var features: [CategoricalFeature] = [.finishReason]
        for name in drift.psi?.features ?? [] {
            if let feature = CategoricalFeature(name: name), !features.contains(feature) { features.append(feature) }
        }
        return features
    }
}
