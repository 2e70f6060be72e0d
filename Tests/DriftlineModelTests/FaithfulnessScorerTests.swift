import DriftlineModel
import Foundation
import Testing

/// The reference scorer with the shipped all-MiniLM-L6-v2, on hand-made cases, at the
/// calibrated threshold (FaithfulnessCalibration.frank).
@Suite struct FaithfulnessScorerTests {
    static let scorer: ReferenceFaithfulnessScorer? = try? ReferenceFaithfulnessScorer()

    static let context = [
        """
        The city council of Springfield voted on Tuesday to approve a new public library. The building will cost \
        12 million dollars and is expected to open in 2026. Mayor Linda Park said the library would include a \
        children's reading room and a cafe.
        """,
        "The vote passed by seven votes to two after a debate that lasted three hours.",
    ]

    func scorer() throws -> ReferenceFaithfulnessScorer {
        try #require(Self.scorer, "all-MiniLM-L6-v2 not installed: scripts/install-deps.sh")
    }

    @Test func aParaphraseIsSupported() throws {
        let score = try scorer().score(
            response:
                "Springfield's council approved a new public library on Tuesday. It will cost 12 million dollars and should open in 2026.",
            context: Self.context)
        #expect(score.isFaithful, "score \(score.score) below \(score.threshold)")
        #expect(score.unsupportedTerms.isEmpty)
        #expect((0...1).contains(score.score))
    }

    @Test func aChangedNumberIsNotSupported() throws {
        let score = try scorer().score(
            response:
                "Springfield's city council voted on Tuesday to approve a new public library. It will cost 45 million dollars.",
            context: Self.context)
        #expect(!score.isFaithful, "score \(score.score) at or above \(score.threshold)")
        #expect(score.unsupportedTerms == ["45"])
        #expect(score.weakestSentence == "It will cost 45 million dollars.")
        #expect(score.bestContextMatch?.contains("12 million dollars") == true)
    }

    @Test func anAddedEntityIsNotSupported() throws {
        let score = try scorer().score(
            response:
                "The city council of Springfield voted on Tuesday to approve a new public library, which Governor Michael Brown will open.",
            context: Self.context)
        #expect(!score.isFaithful, "score \(score.score) at or above \(score.threshold)")
        #expect(score.unsupportedTerms.contains("Michael"))
        #expect(score.unsupportedTerms.contains("Brown"))
    }

    @Test func aNegatedFactIsNotSupported() throws {
        let score = try scorer().score(
            response: "The city council of Springfield voted on Tuesday not to approve a new public library.",
            context: Self.context)
        // A near-verbatim restatement with the opposite negation: a contradiction.
        #expect(score.unsupportedTerms.contains("(negation differs from the context)"))
        #expect(!score.isFaithful, "score \(score.score) at or above \(score.threshold)")
        #expect(score.score <= score.threshold / 2)
        #expect(score.weakestSentence?.contains("not to approve") == true)
        #expect(score.bestContextMatch?.hasPrefix("The city council of Springfield voted") == true)
    }

    @Test func theWeakestSentenceIsTheUnsupportedOne() throws {
        let score = try scorer().score(
            response:
                "The vote passed by seven votes to two. The library will be built on the site of an old chemical factory.",
            context: Self.context)
        #expect(score.weakestSentence == "The library will be built on the site of an old chemical factory.")
        #expect(!score.isFaithful)
    }

    @Test func emptyInputsAreRejectedWithAReason() throws {
        let scorer = try scorer()
        #expect {
            try scorer.score(response: "  \n ", context: Self.context)
        } throws: { ($0 as? ModelError)?.message.contains("response") == true }
        #expect {
            try scorer.score(response: "The library opens in 2026.", context: ["", "..."])
        } throws: { ($0 as? ModelError)?.message.contains("context") == true }
    }

    @Test func aLongContextIsCutIntoWindowsAndBounded() throws {
        let scorer = try scorer()
        // About 40 000 word pieces: more windows than the bound; the fact sits in the first window.
        let filler = String(
            repeating: "Officials reviewed the annual budget of the water department in detail. ", count: 3_000)
        let score = try scorer.score(
            response: "The city council of Springfield voted on Tuesday to approve a new public library.",
            context: [Self.context[0] + " " + filler])
        #expect(score.isFaithful, "score \(score.score) below \(score.threshold)")
    }
}
