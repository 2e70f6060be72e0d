public import Foundation

/// Chooses the tokenizer a model directory carries: `vocab.txt` means WordPiece (BERT family),
/// `vocab.json` with `merges.txt` means byte-level BPE (RoBERTa family).
public enum TokenizerLoader {
    public static func load(directory: URL) throws(ModelError) -> any Tokenizer {
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
            .fileUnreadable, "no tokenizer: expected vocab.txt (WordPiece) or vocab.json + merges.txt (byte-level BPE)",
            path: directory.path)
    }
}
