import Foundation

/// The fixtures next to the tests, written by the Python scripts in Fixtures/ (their oracles).
enum FixtureFiles {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures", isDirectory: true)

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    static func decode<Value: Decodable>(_ type: Value.Type, from name: String) throws -> Value {
        try JSONDecoder().decode(type, from: Data(contentsOf: url(name)))
    }
}

/// `make_tokenizer_fixtures.py`'s output: ids without special tokens, and encoded inputs with
/// truncation.
struct TokenizerFixture: Decodable {
    struct Single: Decodable {
        var text: String
        var ids: [Int32]
    }

    struct Encoded: Decodable {
        var text: String
        var pair: String?
        var maxLength: Int
        var ids: [Int32]
        var typeIds: [Int32]
    }

    var single: [Single]
    var encoded: [Encoded]
}

/// The largest absolute element-wise difference of two vectors (infinite when lengths differ).
func maxAbsoluteDifference(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

func cosine(_ a: [Float], _ b: [Float]) -> Float {
    let dot = zip(a, b).map(*).reduce(0, +)
    let norms = (a.map { $0 * $0 }.reduce(0, +) * b.map { $0 * $0 }.reduce(0, +)).squareRoot()
    return dot / norms
}
