import Foundation

/// Appends accepted notifications to a JSON Lines file (jsonlines.org), one ``ReceivedNotification`` a line.
/// The file is opened once, at start, so a path that cannot be written fails before the sink listens.
struct WebhookSinkRecorder: Sendable {
    let path: String
    private let handle: FileHandle

    init(path: String) throws(WebhookSinkError) {
        self.path = path
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) && !manager.createFile(atPath: path, contents: nil) {
            throw WebhookSinkError(
                code: .recordFile, message: "cannot create the record file \(path)",
                underlying: "the folder does not exist or is not writable")
        }
        do {
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
        } catch {
            throw WebhookSinkError(
                code: .recordFile, message: "cannot open the record file \(path) for appending", underlying: "\(error)")
        }
    }

    func append(_ notification: ReceivedNotification) throws {
        try handle.write(contentsOf: try notification.recordLine() + [UInt8(ascii: "\n")])
    }

    func close() {
        try? handle.close()
    }
}
