public import Foundation

/// The repository's top folder, found from this file's path (`Sources/DriftlineTestSupport/`), for
/// tests that read fixtures, configuration files and documentation pages.
public let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
