import DriftlineModel
import Foundation
import Testing

/// Both tokenizers against Hugging Face `tokenizers` on 200 varied strings
/// (Fixtures/make_tokenizer_fixtures.py): accents, CJK, emoji, punctuation, long words, odd
/// whitespace, and pairs cut with `longest_first`.
@Suite struct TokenizerOracleTests {
    static func check(_ tokenizer: any Tokenizer, against fixture: TokenizerFixture) {
        let wrongSingles = fixture.single.filter { tokenizer.tokenIds($0.text) != $0.ids }
        #expect(fixture.single.count == 200)
        #expect(
            wrongSingles.isEmpty, "\(wrongSingles.count) strings differ, first: \(wrongSingles.prefix(3).map(\.text))")
        for wrong in wrongSingles.prefix(3) {
            Issue.record("'\(wrong.text)': expected \(wrong.ids), got \(tokenizer.tokenIds(wrong.text))")
        }
        let wrongEncoded = fixture.encoded.filter {
            tokenizer.encode($0.text, pair: $0.pair, maxLength: $0.maxLength)
                != TokenizedInput(ids: $0.ids, typeIds: $0.typeIds)
        }
        #expect(fixture.encoded.contains { $0.pair != nil } && fixture.encoded.contains { $0.pair == nil })
        for wrong in wrongEncoded.prefix(3) {
            let got = tokenizer.encode(wrong.text, pair: wrong.pair, maxLength: wrong.maxLength)
            Issue.record(
                "'\(wrong.text)' + '\(wrong.pair ?? "-")' at \(wrong.maxLength): expected \(wrong.ids) / \(wrong.typeIds), got \(got.ids) / \(got.typeIds)"
            )
        }
        #expect(wrongEncoded.isEmpty, "\(wrongEncoded.count) of \(fixture.encoded.count) encoded inputs differ")
    }

    @Test func wordPieceMatchesTokenizersOnTheMiniLMVocabulary() throws {
        let tokenizer = try WordPieceTokenizer(directory: FixtureFiles.url("wordpiece"))
        Self.check(tokenizer, against: try FixtureFiles.decode(TokenizerFixture.self, from: "wordpiece_ids.json"))
    }

    @Test func byteLevelBPEMatchesTokenizersOnATrainedVocabulary() throws {
        let tokenizer = try ByteLevelBPETokenizer(directory: FixtureFiles.url("bpe"))
        Self.check(tokenizer, against: try FixtureFiles.decode(TokenizerFixture.self, from: "bpe_ids.json"))
    }

    @Test func tokenizerJSONAloneLoadsTheSameBPE() throws {
        // transformers 5 saved tiny-roberta with tokenizer.json only (vocab and merges inside it).
        let fromJSON = try TokenizerLoader.load(directory: FixtureFiles.url("tiny-roberta"))
        let fromFiles = try ByteLevelBPETokenizer(directory: FixtureFiles.url("bpe"))
        let fixture = try FixtureFiles.decode(TokenizerFixture.self, from: "bpe_ids.json")
        #expect(fixture.single.allSatisfy { fromJSON.tokenIds($0.text) == $0.ids })
        #expect(fromJSON.padId == fromFiles.padId)
    }
}
