import DriftlineStats
import Foundation
import Testing

// Oracle: Evidently 0.7.23's MMDDriftMethod on the same seeded float32 embeddings
// (Fixtures/mmd.json, written by make_mmd_fixtures.py); the permutation test against an exhaustive
// enumeration of all splits computed here from the definitions.

struct MMDFixtures: Decodable {
    struct Case: Decodable {
        var name: String
        var dimension: Int
        var reference: PSIFixtures.Sample
        var current: PSIFixtures.Sample
        var median_distance: Double
        var mmd2u: Double
        var score: Double

        var referenceVectors: [[Float]] { embeddings(reference, dimension: dimension) }
        var currentVectors: [[Float]] { embeddings(current, dimension: dimension) }
    }

    var evidently: String
    var cases: [Case]

    static let shared: MMDFixtures = {
        do {
            return try Fixtures.load(MMDFixtures.self, "mmd.json")
        } catch {
            preconditionFailure("Fixtures/mmd.json: \(error)")
        }
    }()

    static var names: [String] { shared.cases.map(\.name) }
    static func named(_ name: String) -> Case { shared.cases.first { $0.name == name }! }
}

@Suite struct MMDTests {
    @Test(arguments: MMDFixtures.names)
    func scoreIsEvidentlys(case name: String) throws {
        let fixture = MMDFixtures.named(name)
        let mmd = try MaximumMeanDiscrepancy(reference: fixture.referenceVectors, current: fixture.currentVectors)
        #expect(mmd.dimension == fixture.dimension)
        #expect(isClose(mmd.medianDistance, fixture.median_distance, relative: 1e-9))
        #expect(isClose(mmd.unbiasedEstimate, fixture.mmd2u, relative: 1e-6))
        #expect(isClose(mmd.score, fixture.score, relative: 1e-6))
    }

    @Test func doubleAndFloatInputsGiveTheSameScore() throws {
        let fixture = MMDFixtures.named("mean-shift-8")
        let floats = try MaximumMeanDiscrepancy(reference: fixture.referenceVectors, current: fixture.currentVectors)
        let doubles = try MaximumMeanDiscrepancy(
            reference: fixture.referenceVectors.map { $0.map(Double.init) },
            current: fixture.currentVectors.map { $0.map(Double.init) })
        #expect(floats.unbiasedEstimate == doubles.unbiasedEstimate)
    }

    @Test func aClearShiftHasASmallPValue() throws {
        let fixture = MMDFixtures.named("mean-shift-8")
        let mmd = try MaximumMeanDiscrepancy(reference: fixture.referenceVectors, current: fixture.currentVectors)
        // No split of 600 vectors beats a 0.3σ shift in every coordinate: the least p-value possible.
        #expect(try mmd.permutationPValue(permutations: 200, seed: 7) == 1.0 / 201)
    }

    @Test(arguments: ["no-shift-8", "no-shift-32"])
    func noShiftHasALargePValue(case name: String) throws {
        let fixture = MMDFixtures.named(name)
        let mmd = try MaximumMeanDiscrepancy(reference: fixture.referenceVectors, current: fixture.currentVectors)
        #expect(try mmd.permutationPValue(permutations: 200, seed: 7) > 0.2)
    }

    @Test func thePValueDependsOnlyOnTheSeed() throws {
        let fixture = MMDFixtures.named("scale-shift-32")
        let mmd = try MaximumMeanDiscrepancy(reference: fixture.referenceVectors, current: fixture.currentVectors)
        let first = try mmd.permutationPValue(permutations: 100, seed: 11)
        let again = try MaximumMeanDiscrepancy(reference: fixture.referenceVectors, current: fixture.currentVectors)
        #expect(try again.permutationPValue(permutations: 100, seed: 11) == first)
        #expect(try mmd.permutationPValue(permutations: 100, seed: 11) == first)
    }

    @Test func thePValueApproachesTheExactPermutationPValue() throws {
        // 7 reference and 4 current vectors: all C(11, 4) = 330 splits can be enumerated.
        let fixture = MMDFixtures.named("small-samples-8")
        let reference = fixture.referenceVectors.map { $0.map(Double.init) }
        let current = fixture.currentVectors.map { $0.map(Double.init) }
        let exact = BruteForceMMD(reference: reference, current: current).exactPermutationPValue()
        let mmd = try MaximumMeanDiscrepancy(reference: reference, current: current)
        let estimate = try mmd.permutationPValue(permutations: 20_000, seed: 3)
        // The estimate's standard deviation is at most sqrt(0.25 / 20 000) ≈ 0.0035.
        #expect(abs(estimate - exact) < 0.015, "estimate \(estimate), exact \(exact)")
        #expect(
            isClose(
                mmd.unbiasedEstimate, BruteForceMMD(reference: reference, current: current).observed, relative: 1e-12))
    }

    @Test func badSamplesAreRefusedWithTheVectorThatIsWrong() throws {
        let good: [[Float]] = [[0, 1], [1, 0], [1, 1]]
        let mismatch = #expect(throws: MaximumMeanDiscrepancyError.self) {
            try MaximumMeanDiscrepancy(reference: good, current: [[0, 0], [1, 2, 3]])
        }
        #expect(mismatch?.code == .dimensionMismatch)
        #expect(mismatch?.message.contains("current vector 1") == true)
        let notANumber = #expect(throws: MaximumMeanDiscrepancyError.self) {
            try MaximumMeanDiscrepancy(reference: [[0, 1], [.nan, 0]], current: good)
        }
        #expect(notANumber?.code == .nonFinite)
        #expect(notANumber?.message.contains("reference vector 1") == true)
        let infinite = #expect(throws: MaximumMeanDiscrepancyError.self) {
            try MaximumMeanDiscrepancy(
                reference: [[0, 1], [1, 0]], current: [[0, 1], [2, .infinity]] as [[Double]])
        }
        #expect(infinite?.code == .nonFinite)
        let tooFew = #expect(throws: MaximumMeanDiscrepancyError.self) {
            try MaximumMeanDiscrepancy(reference: good, current: [[0, 1]])
        }
        #expect(tooFew?.code == .tooFewVectors)
        let empty = #expect(throws: MaximumMeanDiscrepancyError.self) {
            try MaximumMeanDiscrepancy(reference: [[], []] as [[Float]], current: [[], []])
        }
        #expect(empty?.code == .dimensionMismatch)
        let identical = #expect(throws: MaximumMeanDiscrepancyError.self) {
            try MaximumMeanDiscrepancy(
                reference: [[1, 1], [1, 1]], current: [[1, 1], [1, 1], [0, 0]] as [[Float]])
        }
        #expect(identical?.code == .degenerateBandwidth)
        let mmd = try MaximumMeanDiscrepancy(reference: good, current: [[0, 0], [2, 2]])
        let noPermutation = #expect(throws: MaximumMeanDiscrepancyError.self) {
            try mmd.permutationPValue(permutations: 0, seed: 1)
        }
        #expect(noPermutation?.code == .invalidPermutationCount)
    }
}

/// MMD²_u and its exact permutation p-value straight from the definitions (Gretton et al. 2012,
/// eq. 3; kernel exp(−‖a − b‖² / median²) with the median over all reference–current pairs), with
/// explicit differences instead of norms and every split of the pooled vectors enumerated.
private struct BruteForceMMD {
    var pooled: [[Double]]
    var m: Int
    var kernel: [[Double]]
    var observed: Double

    init(reference: [[Double]], current: [[Double]]) {
        func distance(_ a: [Double], _ b: [Double]) -> Double {
            zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        }
        let cross = reference.flatMap { a in current.map { b in distance(a, b) } }.sorted()
        let median =
            cross.count % 2 == 1
            ? cross[cross.count / 2] : (cross[cross.count / 2 - 1] + cross[cross.count / 2]) / 2
        pooled = reference + current
        m = reference.count
        let pooled = pooled
        kernel = pooled.map { a in pooled.map { b in exp(-distance(a, b) * distance(a, b) / (median * median)) } }
        observed = 0
        observed = statistic(Set(0..<m))
    }

    func statistic(_ referenceSide: Set<Int>) -> Double {
        let x = referenceSide.sorted()
        let y = (0..<pooled.count).filter { !referenceSide.contains($0) }
        func mean(_ a: [Int], _ b: [Int], distinct: Bool) -> Double {
            var sum = 0.0
            var count = 0.0
            for i in a {
                for j in b where !distinct || i != j {
                    sum += kernel[i][j]
                    count += 1
                }
            }
            return sum / count
        }
        return mean(x, x, distinct: true) + mean(y, y, distinct: true) - 2 * mean(x, y, distinct: false)
    }

    func exactPermutationPValue() -> Double {
        var hits = 0
        var total = 0
        func choose(_ start: Int, _ chosen: [Int]) {
            if chosen.count == m {
                total += 1
                if statistic(Set(chosen)) >= observed - 1e-12 { hits += 1 }
                return
            }
            guard start < pooled.count else { return }
            for i in start..<pooled.count { choose(i + 1, chosen + [i]) }
        }
        choose(0, [])
        return Double(hits) / Double(total)
    }
}
