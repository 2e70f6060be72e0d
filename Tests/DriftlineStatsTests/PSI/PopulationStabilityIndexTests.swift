import DriftlineStats
import Testing

// Oracles: Evidently 0.7.23's `psi` (sturges, categorical) and a brute-force numpy computation on
// raw values (quantile), both in Fixtures/psi.json.

@Suite struct PopulationStabilityIndexTests {
    @Test(arguments: PSIFixtures.numericNames)
    func sturgesOnRawValuesIsEvidentlys(case name: String) throws {
        let fixture = PSIFixtures.numeric(name)
        let result = try #require(
            PopulationStabilityIndex.sturges(
                reference: fixture.reference.generate(name), current: fixture.current.generate(name)))
        #expect(result.binning == .sturges)
        let edges = result.bins.map { bin -> Double in
            guard case .interval(let lower, _) = bin.range else { return .nan }
            return lower
        }
        guard case .interval(_, let last) = result.bins.last?.range else { throw PSITestError.notAnInterval }
        #expect(edges + [last] == fixture.sturges.edges)
        #expect(result.bins.map(\.referenceShare) == fixture.sturges.reference_shares)
        #expect(result.bins.map(\.currentShare) == fixture.sturges.current_shares)
        #expect(isClose(result.value, fixture.sturges.psi, relative: 1e-9), "\(result.value) vs \(fixture.sturges.psi)")
    }

    @Test(arguments: PSIFixtures.numericNames)
    func sturgesOnHistogramsIsWithinTwoPercentOfEvidently(case name: String) throws {
        let fixture = PSIFixtures.numeric(name)
        var reference = ExponentialHistogram()
        for value in fixture.reference.generate(name) { reference.record(value) }
        var current = ExponentialHistogram()
        for value in fixture.current.generate(name) { current.record(value) }
        let result = try #require(PopulationStabilityIndex.sturges(reference: reference, current: current))
        #expect(result.bins.count == fixture.sturges.edges.count - 1)
        let expected = fixture.sturges.psi
        // On stable data the PSI is a few thousandths, mostly sampling noise, and a relative bound
        // means little; there the bound is on the severity and 0.002 absolute.
        if expected >= PSIThresholds.default.minor {
            #expect(isClose(result.value, expected, relative: 0.02), "\(name): \(result.value) vs \(expected)")
        } else {
            #expect(abs(result.value - expected) <= 0.002, "\(name): \(result.value) vs \(expected)")
        }
        #expect(result.severity() == PSIThresholds.default.severity(of: expected))
    }

    @Test(arguments: PSIFixtures.numericNames)
    func quantileOnHistogramsIsTheBruteForcePSIAtTheSnappedEdges(case name: String) throws {
        let fixture = PSIFixtures.numeric(name)
        let referenceValues = fixture.reference.generate(name)
        let currentValues = fixture.current.generate(name)
        var reference = ExponentialHistogram()
        for value in referenceValues { reference.record(value) }
        var current = ExponentialHistogram()
        for value in currentValues { current.record(value) }
        let result = try #require(PopulationStabilityIndex.quantile(reference: reference, current: current))
        #expect(result.binning == .quantile)
        let uppers = result.bins.map { bin -> Double in
            guard case .interval(_, let upper) = bin.range else { return .nan }
            return upper
        }
        try #require(uppers.count == fixture.quantile.edges.count + 1)
        for (edge, expected) in zip(uppers, fixture.quantile.edges) {
            #expect(isClose(edge, expected, relative: 1e-12), "\(name): edge \(edge) vs \(expected)")
        }
        #expect(uppers.last == .infinity)
        let referenceShares = fixture.quantile.reference_counts.map { Double($0) / Double(referenceValues.count) }
        let currentShares = fixture.quantile.current_counts.map { Double($0) / Double(currentValues.count) }
        #expect(result.bins.map(\.referenceShare) == PopulationStabilityIndex.filled(referenceShares))
        #expect(result.bins.map(\.currentShare) == PopulationStabilityIndex.filled(currentShares))
        #expect(
            isClose(result.value, fixture.quantile.psi, relative: 1e-9), "\(result.value) vs \(fixture.quantile.psi)")
    }

    @Test(arguments: PSIFixtures.numericNames)
    func quantileOnRawSamplesIsTheBruteForcePSIAtNumpysDeciles(case name: String) throws {
        let fixture = PSIFixtures.numeric(name)
        let referenceValues = fixture.reference.generate(name)
        let currentValues = fixture.current.generate(name)
        let result = try #require(PopulationStabilityIndex.quantile(reference: referenceValues, current: currentValues))
        #expect(result.binning == .quantile)
        let uppers = result.bins.map { bin -> Double in
            guard case .interval(_, let upper) = bin.range else { return .nan }
            return upper
        }
        #expect(uppers == fixture.raw_quantile.edges + [.infinity])
        let referenceShares = fixture.raw_quantile.reference_counts.map { Double($0) / Double(referenceValues.count) }
        let currentShares = fixture.raw_quantile.current_counts.map { Double($0) / Double(currentValues.count) }
        #expect(result.bins.map(\.referenceShare) == PopulationStabilityIndex.filled(referenceShares))
        #expect(result.bins.map(\.currentShare) == PopulationStabilityIndex.filled(currentShares))
        #expect(
            isClose(result.value, fixture.raw_quantile.psi, relative: 1e-9),
            "\(result.value) vs \(fixture.raw_quantile.psi)")
    }

    @Test(arguments: PSIFixtures.categoricalNames)
    func categoricalIsEvidentlys(case name: String) throws {
        let fixture = PSIFixtures.categorical(name)
        let result = try #require(
            PopulationStabilityIndex.categorical(reference: fixture.reference, current: fixture.current))
        #expect(result.binning == .categorical)
        #expect(result.bins.count == Set(fixture.reference.keys).union(fixture.current.keys).count)
        #expect(isClose(result.value, fixture.psi, relative: 1e-9), "\(result.value) vs \(fixture.psi)")
    }

    @Test func theFixturesCoverEmptyBinsAndBothFills() {
        let sturges = PSIFixtures.shared.numeric.map(\.sturges)
        #expect(sturges.contains { $0.empty_bins > 0 && $0.reference_shares.min()! == 0.0001 })
        #expect(sturges.contains { $0.reference_shares.min()! < 0.0001 })
    }

    @Test func emptyBinsGetEvidentlysFill() {
        #expect(PopulationStabilityIndex.emptyBinShare(for: [0.5, 0.5, 0]) == 0.0001)
        #expect(PopulationStabilityIndex.emptyBinShare(for: [0.99995, 0.00005, 0]) == 0.00005 / 1_000_000)
        // Evidently compares with <=: a smallest share of exactly 1e-4 is divided too.
        #expect(PopulationStabilityIndex.emptyBinShare(for: [0.9999, 0.0001, 0]) == 0.0001 / 1_000_000)
        #expect(PopulationStabilityIndex.emptyBinShare(for: [0, 0]) == nil)
        #expect(PopulationStabilityIndex.filled([0.25, 0, 0.75]) == [0.25, 0.0001, 0.75])
    }

    @Test func identicalDistributionsHaveZeroPSIAndEmptyInputsNone() {
        #expect(PopulationStabilityIndex.value(referenceShares: [0.2, 0.3, 0.5], currentShares: [0.2, 0.3, 0.5]) == 0)
        #expect(PopulationStabilityIndex.categorical(reference: [:], current: ["a": 1]) == nil)
        #expect(PopulationStabilityIndex.sturges(reference: [], current: [1, 2]) == nil)
        #expect(
            PopulationStabilityIndex.quantile(reference: ExponentialHistogram(), current: ExponentialHistogram()) == nil
        )
    }

    @Test func severityFollowsTheThresholds() throws {
        let thresholds = PSIThresholds.default
        #expect(thresholds.severity(of: 0.099) == .stable)
        #expect(thresholds.severity(of: 0.1) == .minor)
        #expect(thresholds.severity(of: 0.199) == .minor)
        #expect(thresholds.severity(of: 0.2) == .major)
        let strict = try PSIThresholds(minor: 0.05, major: 0.1)
        #expect(strict.severity(of: 0.07) == .minor)
        #expect(throws: PSIThresholdsError.self) { try PSIThresholds(minor: 0.3, major: 0.2) }
        #expect(throws: PSIThresholdsError.self) { try PSIThresholds(minor: 0, major: 0.2) }
    }
}

enum PSITestError: Error {
    case notAnInterval
}
