import DriftlineTestSupport
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The built `driftline` executable run as a person would, with its output (standard output
/// and error together) in a file that can be read while it runs, and a bound on how long it
/// may take: a run past the bound is killed and reported, never left hanging the suite.
final class DriftlineProcess {
    let process = Process()
    let log: URL
    let started = ContinuousClock.now

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("driftline-startup-\(UUID()).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = URL(fileURLWithPath: CrashRecoveryTests.driftlineExecutable)
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        var merged = ProcessInfo.processInfo.environment
        for name in ["DATABASE_URL", "DATABASE_PASSWORD_FILE", "DATABASE_CONNECT_TIMEOUT", "KAFKA_BROKERS"] {
            merged[name] = nil
        }
        // Runs in parallel must not fight over the default metrics port.
        merged["METRICS_ADDRESS"] = "127.0.0.1:0"
        process.environment = merged.merging(environment) { $1 }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// The last `error: …` line, which is what a failed command has to say.
    var errorLine: String? {
        output.split(separator: "\n").last { $0.hasPrefix("error: ") }.map(String.init)
    }

    /// Waits until the output contains `text`, or the bound passes.
    func waitForOutput(containing text: String, within bound: Duration) async -> Bool {
        let deadline = ContinuousClock.now + bound
        while ContinuousClock.now < deadline {
            if output.contains(text) { return true }
            if !process.isRunning { return output.contains(text) }
            try? await Task.sleep(for: .milliseconds(50))
        }
        // Looked at once more: a test process starved of threads may wake only after the bound.
        return output.contains(text)
    }

    /// Waits for the exit; returns the status and the time since start, or nil (after killing
    /// the process) when it did not exit within `bound`.
    func waitForExit(within bound: Duration) async -> (status: Int32, elapsed: Duration)? {
        let deadline = ContinuousClock.now + bound
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return (process.terminationStatus, ContinuousClock.now - started)
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    deinit { try? FileManager.default.removeItem(at: log) }
}

/// A loopback TCP port with nothing listening: connections to it are refused at once.
func closedLoopbackPort() throws -> Int {
    let socket = try ListeningSocket()
    return socket.port  // closed when `socket` goes
}

/// A loopback socket that listens but never accepts or answers: the kernel completes the TCP
/// handshake, and then nothing — what an overloaded server or a half-open route looks like.
final class ListeningSocket {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            close(descriptor)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
