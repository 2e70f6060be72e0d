public import Foundation

/// Chooses the tokenizer a model directory carries: the `model` section of `tokenizer.json`
/// (`WordPiece` or `BPE`) when present, as recent `transformers` save only that file; else
/// `vocab.txt` for WordPiece (BERT family) or `vocab.json` with `merges.txt` for byte-level BPE
/// (RoBERTa family).
public enum TokenizerLoader {
    public static func load(directory: URL) throws(ModelError) -> any Tokenizer {
        let settings = try TokenizerSettings(directory: directory)
        if let model = settings.tokenizerModel {
            let path = directory.appendingPathComponent("tokenizer.json").path
            guard let vocab = model["vocab"] as? [String: NSNumber] else {
                throw ModelError(.invalidConfiguration, "tokenizer.json model has no vocab object", path: path)
            }
            let vocabulary = vocab.mapValues { Int32($0.intValue) }
            switch model["type"] as? String {
            case "WordPiece":
                return try WordPieceTokenizer(vocabulary: vocabulary, settings: settings)
            case "BPE":
                // Merges are "a b" strings in older files and ["a", "b"] pairs in newer ones.
                var merges: [(String, String)] = []
                for (index, merge) in (model["merges"] as? [Any] ?? []).enumerated() {
                    if let pair = merge as? [String], pair.count == 2 {
                        merges.append((pair[0], pair[1]))
                    } else if let line = merge as? String, case let parts = line.split(separator: " "), parts.count == 2
                    {
                        merges.append((String(parts[0]), String(parts[1])))
                    } else {
                        throw ModelError(
                            .invalidConfiguration, "tokenizer.json merge \(index) is not a pair", path: path)
                    }
                }
                return try ByteLevelBPETokenizer(vocabulary: vocabulary, merges: merges, settings: settings)
            case let type:
                throw ModelError(
                    .invalidConfiguration,
                    "tokenizer.json model type \(type ?? "(none)") is not supported; supported: WordPiece, BPE",
                    path: path)
            }
        }
        let files = FileManager.default
        if files.fileExists(atPath: directory.appendingPathComponent("vocab.txt").path) {
            return try WordPieceTokenizer(directory: directory)
        }
        if files.fileExists(atPath: directory.appendingPathComponent("vocab.json").path),
            files.fileExists(atPath: directory.appendingPathComponent("merges.txt").path)
        {
            return try ByteLevelBPETokenizer(directory: directory)
        }
        throw ModelError(
            .fileUnreadable,
            "no tokenizer: expected tokenizer.json, vocab.txt (WordPiece) or vocab.json + merges.txt (byte-level BPE)",
            path: directory.path)
    }
}
