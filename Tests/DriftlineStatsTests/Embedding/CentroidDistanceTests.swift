import DriftlineStats
import Testing

// Oracle: Evidently 0.7.23's DistanceDriftMethod (euclidean, cosine) and pandas' column means on the
// same seeded float32 embeddings (Fixtures/centroid_drift.json).

struct CentroidFixtures: Decodable {
    struct Case: Decodable {
        var name: String
        var dimension: Int
        var reference: PSIFixtures.Sample
        var current: PSIFixtures.Sample
        var euclidean: Double
        var cosine: Double
        var reference_centroid: [Double]
        var current_centroid: [Double]
    }

    var cases: [Case]

    static let shared: CentroidFixtures = {
        do {
            return try Fixtures.load(CentroidFixtures.self, "centroid_drift.json")
        } catch {
            preconditionFailure("Fixtures/centroid_drift.json: \(error)")
        }
    }()

    static var names: [String] { shared.cases.map(\.name) }
    static func named(_ name: String) -> Case { shared.cases.first { $0.name == name }! }
}

/// The fixture's vectors: generated doubles rounded to Float, `dimension` at a time.
func embeddings(_ sample: PSIFixtures.Sample, dimension: Int) -> [[Float]] {
    let values = sample.generate("embeddings").map { Float($0) }
    return stride(from: 0, to: values.count, by: dimension).map { Array(values[$0..<$0 + dimension]) }
}

@Suite struct CentroidDistanceTests {
    @Test(arguments: CentroidFixtures.names)
    func distancesAreEvidentlysAfterMergingWindows(case name: String) throws {
        let fixture = CentroidFixtures.named(name)
        let reference = embeddings(fixture.reference, dimension: fixture.dimension)
        let current = embeddings(fixture.current, dimension: fixture.dimension)

        // The reference period as the merge of uneven windows, the current one added in one go.
        var rng = SplitMix64(seed: 42)
        var referenceSum = try EmbeddingSum(dimension: fixture.dimension)
        var window = try EmbeddingSum(dimension: fixture.dimension)
        for vector in reference {
            try window.add(vector)
            if rng.chance(0.01) {
                try referenceSum.merge(window)
                window = try EmbeddingSum(dimension: fixture.dimension)
            }
        }
        try referenceSum.merge(window)
        var currentSum = try EmbeddingSum(dimension: fixture.dimension)
        for vector in current { try currentSum.add(vector) }

        #expect(referenceSum.count == Int64(reference.count))
        for (mine, expected) in zip(try #require(referenceSum.centroid), fixture.reference_centroid) {
            #expect(isClose(mine, expected, relative: 1e-9))
        }
        for (mine, expected) in zip(try #require(currentSum.centroid), fixture.current_centroid) {
            #expect(isClose(mine, expected, relative: 1e-9))
        }
        let distance = try #require(CentroidDistance(reference: referenceSum, current: currentSum))
        #expect(isClose(distance.euclideanDistance, fixture.euclidean, relative: 1e-9))
        #expect(isClose(try #require(distance.cosineDistance), fixture.cosine, relative: 1e-9))
    }

    @Test func badVectorsAreRefusedWholeAndNeverEnterTheCentroid() throws {
        var sum = try EmbeddingSum(dimension: 3)
        try sum.add([1, 2, 3] as [Float])
        let before = sum
        let wrongDimension = #expect(throws: EmbeddingSumError.self) { try sum.add([1, 2] as [Float]) }
        #expect(wrongDimension?.code == .dimensionMismatch)
        let notANumber = #expect(throws: EmbeddingSumError.self) { try sum.add([1, .nan, 3] as [Float]) }
        #expect(notANumber?.code == .nonFinite)
        #expect(throws: EmbeddingSumError.self) { try sum.add([1, 2, .infinity] as [Double]) }
        #expect(throws: EmbeddingSumError.self) { try sum.merge(try EmbeddingSum(dimension: 4)) }
        #expect(sum == before)
        #expect(sum.centroid == [1, 2, 3])
    }

    @Test func emptyOrZeroCentroidsHaveNoDistance() throws {
        let empty = try EmbeddingSum(dimension: 2)
        var zero = try EmbeddingSum(dimension: 2)
        try zero.add([0, 0] as [Float])
        var unit = try EmbeddingSum(dimension: 2)
        try unit.add([3, 4] as [Float])
        #expect(CentroidDistance(reference: empty, current: unit) == nil)
        let distance = try #require(CentroidDistance(reference: zero, current: unit))
        #expect(distance.cosineDistance == nil)
        #expect(distance.euclideanDistance == 5)
        #expect(CentroidDistance.cosineSimilarity([1, 0], [0, 1]) == 0)
    }

    @Test func storedPartsAreValidated() throws {
        #expect(throws: EmbeddingSumError.self) { try EmbeddingSum(dimension: 0) }
        #expect(throws: EmbeddingSumError.self) { try EmbeddingSum(count: 0, sum: [1, 0]) }
        #expect(throws: EmbeddingSumError.self) { try EmbeddingSum(count: -1, sum: [0]) }
        #expect(throws: EmbeddingSumError.self) { try EmbeddingSum(count: 2, sum: [.nan]) }
        let rebuilt = try EmbeddingSum(count: 2, sum: [2, 4])
        #expect(rebuilt.centroid == [1, 2])
    }
}
