public import Foundation

/// A file argument of the offline drift tools: a path, or `-` for standard input, as Unix tools
/// take it, so that an exported series can be piped in.
public struct DriftInput: Sendable, Hashable {
    public let path: String

    public init(path: String) { self.path = path }

    public var isStandardInput: Bool { path == "-" }

    /// How error messages name it.
    public var name: String { isStandardInput ? "standard input" : path }

    /// The whole text; `standardInput` is read to its end for `-`.
    public func text(standardInput: FileHandle = .standardInput) throws -> String {
        let data: Data
        guard isStandardInput || FileManager.default.fileExists(atPath: path) else {
            throw DriftToolError(.unreadable, "\(name): no such file")
        }
        do {
            data =
                try isStandardInput ? standardInput.readToEnd() ?? Data() : Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DriftToolError(.unreadable, "\(name): cannot be read (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DriftToolError(.unreadable, "\(name): is not UTF-8 text")
        }
        return text
    }
}
