import DriftlineTestSupport
import Foundation

/// Debian's `chromium` run headless on a local file, as the report test opens the report.
/// Chromium runs as root in CI, hence `--no-sandbox`; each run gets its own profile folder.
struct HeadlessChromium {
    struct Run {
        var status: Int32
        var standardOutput: String
        var standardError: String

        /// Console messages Chromium logs (`--enable-logging=stderr`): `…:INFO:CONSOLE:8] "…"`.
        /// A page without scripts logs none; a blocked load or script logs one.
        var consoleLines: [String] {
            standardError.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        }
    }

    let executable: URL

    /// Chromium on PATH, or an error that says how to install it. Never a skip: CI installs it
    /// (scripts/install-deps.sh).
    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Self {
        for folder in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return Self(executable: candidate) }
            }
        }
        throw ChromiumMissing()
    }

    struct ChromiumMissing: Error, CustomStringConvertible {
        var description: String {
            "chromium is not on PATH: the HTML report test opens the report in headless Chromium; "
                + "install Debian's package (apt-get install chromium; scripts/install-deps.sh does)"
        }
    }

    struct ChromiumTimeout: Error, CustomStringConvertible {
        var arguments: [String]
        var description: String { "chromium did not finish within its deadline: \(arguments.joined(separator: " "))" }
    }

    /// Runs Chromium headless with `arguments` on `page`; killed after `timeout`.
    func run(_ arguments: [String], page: URL, timeout: Duration = .seconds(180)) async throws -> Run {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dl-chromium-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("stdout")
        let err = scratch.appendingPathComponent("stderr")
        try Data().write(to: out)
        try Data().write(to: err)
        let process = Process()
        process.executableURL = executable
        process.arguments =
            [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--no-default-browser-check", "--hide-scrollbars", "--user-data-dir=\(scratch.path)/profile",
                "--enable-logging=stderr", "--v=0",
            ] + arguments + [page.absoluteString]
        // Files rather than pipes: a DOM dump larger than a pipe's buffer cannot block Chromium.
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                process.waitUntilExit()
                throw ChromiumTimeout(arguments: arguments)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus,
            standardOutput: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            standardError: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}
