import DriftlineStats
import Testing

@Suite("Stable sample hash")
struct StableSampleHashTests {
    /// FNV-1a 64 test vectors from the reference implementation's test suite (Landon Curt Noll,
    /// `test_fnv.c`, `fnv1a_64_vector`), also in draft-eastlake-fnv.
    @Test func fnv1a64MatchesThePublishedVectors() {
        let vectors: [(String, UInt64)] = [
            ("", 0xcbf2_9ce4_8422_2325), ("a", 0xaf63_dc4c_8601_ec8c), ("b", 0xaf63_df4c_8601_f1a5),
            ("foobar", 0x8594_4171_f739_67e8), ("fo", 0x0898_5907_b541_d342),
        ]
        for (text, expected) in vectors {
            #expect(StableSampleHash.fnv1a64(text.utf8) == expected, "\(text)")
        }
    }

    /// The mix is SplitMix64's output: the generator seeded with s returns mix(s + golden gamma).
    @Test func mixIsSplitMix64sFinaliser() {
        for seed: UInt64 in [0, 1, 42, 0xdead_beef, .max] {
            var generator = SplitMix64(seed: seed)
            #expect(generator.next() == StableSampleHash.mix(seed &+ 0x9E37_79B9_7F4A_7C15))
        }
    }

    @Test func theSameIdIsAlwaysSampledAlikeAndRatesNest() {
        for index in 0..<2_000 {
            let id = "req-\(index)"
            let fraction = StableSampleHash.fraction(id)
            #expect(fraction >= 0 && fraction < 1)
            #expect(StableSampleHash.fraction(id) == fraction)
            // Brute force: the definition, computed again here from its parts.
            let expected =
                Double(StableSampleHash.mix(StableSampleHash.fnv1a64(Array(id.utf8))) >> 11) / 9_007_199_254_740_992
            #expect(fraction == expected)
            if StableSampleHash.isSampled(id, rate: 0.01) { #expect(StableSampleHash.isSampled(id, rate: 0.05)) }
        }
        #expect(StableSampleHash.isSampled("anything", rate: 1))
        #expect(!StableSampleHash.isSampled("anything", rate: 0))
    }

    /// Over 200 000 sequential ids (the worst case for a weak hash), the sampled share at each rate is
    /// within 4.5 binomial standard deviations of the rate (a chance of a false failure below 1e-5).
    @Test(arguments: [0.001, 0.01, 0.1, 0.5, 0.9])
    func sampledShareMatchesTheRate(rate: Double) {
        let n = 200_000
        var sampled = 0
        for index in 0..<n where StableSampleHash.isSampled("req-\(index)", rate: rate) { sampled += 1 }
        let sd = (Double(n) * rate * (1 - rate)).squareRoot()
        #expect(abs(Double(sampled) - Double(n) * rate) <= 4.5 * sd, "\(sampled) of \(n) at \(rate)")
    }
}
