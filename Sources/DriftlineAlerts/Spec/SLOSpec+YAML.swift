extension SLOSpec {
    public static let defaultPeriod: Duration = .seconds(30 * 86_400)

    /// Decodes a `kind: slo` document; see ``SLOSpec`` for the shape.
    public init(spec: SpecMapping) throws(AlertSpecError) {
        _ = spec.contains("kind")
        let name = try RuleName.read(spec)
        let description = try spec.optionalString("description")
        let percent = try spec.number("objective", expected: "a percentage such as 99.5")
        guard percent > 0, percent < 100 else {
            throw spec.error(
                .invalidValue, key: "objective", expected: "a percentage above 0 and below 100", found: "\(percent)")
        }
        let period = try spec.optionalDuration("period") ?? Self.defaultPeriod
        let filter = try DimensionFilter.read(spec, key: "filters")
        let groupBy = try DimensionFilter.readGrouping(spec, key: "group_by")
        let sli = try SLIDefinition.read(
            spec.mapping("sli", expected: "a mapping with one of latency, availability, quality, ratio"))
        var policy = BurnRatePolicy()
        if let alerting = try spec.optionalMapping("alerting") {
            policy = try Self.readPolicy(alerting, period: period)
        }
        let labels = try spec.optionalStringMap("labels") ?? [:]
        let annotations = try spec.optionalStringMap("annotations") ?? [:]
        try spec.rejectUnknownKeys()
        for reserved in ["alertname", "slo", "severity", "burn_tier"] where labels[reserved] != nil {
            throw spec.error(.invalidValue, key: "labels", expected: "no label named \(reserved) (set by Driftline)")
        }
        for tier in policy.tiers where tier.longWindow > period {
            throw spec.error(
                .invalidValue, key: "period",
                expected: "a period at least as long as tier \(tier.name)'s long window",
                found: AlertDuration.format(period))
        }
        self.init(
            name: name, description: description, objective: percent / 100, period: period, filter: filter,
            groupBy: groupBy, sli: sli, policy: policy, labels: labels, annotations: annotations,
            sourceFile: spec.file)
    }

    private static func readPolicy(_ spec: SpecMapping, period: Duration) throws(AlertSpecError) -> BurnRatePolicy {
        var policy = BurnRatePolicy()
        if let minimum = try spec.optionalInteger("min_events") {
            guard minimum >= 1 else {
                throw spec.error(.invalidValue, key: "min_events", expected: "at least 1", found: "\(minimum)")
            }
            policy.minimumEvents = minimum
        }
        policy.pendingFor = try spec.optionalDuration("for") ?? .zero
        policy.keepFiringFor = try spec.optionalDuration("keep_firing_for") ?? .zero
        if let tiers = try spec.optionalMappingList("tiers") {
            guard !tiers.isEmpty else {
                throw spec.error(.invalidValue, key: "tiers", expected: "at least one tier")
            }
            policy.tiers = []
            for tier in tiers {
                let name = try tier.string("name", expected: "a tier name such as page-1h")
                let severity = try tier.string("severity", expected: "page or ticket")
                guard severity == "page" || severity == "ticket" else {
                    throw tier.error(.invalidValue, key: "severity", expected: "page or ticket", found: severity)
                }
                let fraction = try tier.number("budget_fraction", expected: "a fraction of the budget, 0 < f <= 1")
                guard fraction > 0, fraction <= 1 else {
                    throw tier.error(
                        .invalidValue, key: "budget_fraction", expected: "a fraction of the budget, 0 < f <= 1",
                        found: "\(fraction)")
                }
                let long = try tier.duration("long_window")
                let short = try tier.duration("short_window")
                guard short < long else {
                    throw tier.error(
                        .invalidValue, key: "short_window", expected: "a window shorter than long_window",
                        found: AlertDuration.format(short))
                }
                try tier.rejectUnknownKeys()
                guard !policy.tiers.contains(where: { $0.name == name }) else {
                    throw tier.error(.invalidValue, key: "name", expected: "a tier name used once", found: name)
                }
                policy.tiers.append(
                    BurnRateTier(
                        name: name, severity: AlertSeverity(severity), budgetFraction: fraction, longWindow: long,
                        shortWindow: short))
            }
        }
        try spec.rejectUnknownKeys()
        return policy
    }
}
