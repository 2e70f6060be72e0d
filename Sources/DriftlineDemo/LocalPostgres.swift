public import DriftlineStore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway PostgreSQL cluster in a temporary directory, for the demo: initdb + pg_ctl from
/// Debian's `postgresql` package, listening on a free loopback port, removed on `stop()`.
/// initdb and postgres refuse to run as root, so as root the cluster runs as the `postgres` user.
public final class LocalPostgres: @unchecked Sendable {
    public let directory: String
    public let port: Int
    private let binDirectory: String
    private var running = false

    public var url: DatabaseURL {
        DatabaseURL(
            host: "127.0.0.1", port: port, username: "postgres", password: nil, database: "postgres", sslMode: "disable"
        )
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// `DATABASE_URL` when it is set, otherwise a started throwaway server (stop it when done).
    public static func databaseURL(environment: [String: String]) throws -> (DatabaseURL, LocalPostgres?) {
        if let text = environment["DATABASE_URL"], !text.isEmpty {
            return (try DatabaseURL(parsing: text), nil)
        }
        let postgres = try LocalPostgres()
        try postgres.start()
        return (postgres.url, postgres)
    }

    public init() throws {
        let fm = FileManager.default
        let candidates = (try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard
            let version = candidates.compactMap(Int.init).max(),
            fm.isExecutableFile(atPath: "/usr/lib/postgresql/\(version)/bin/initdb")
        else {
            throw Failure(
                description:
                    "PostgreSQL server binaries not found under /usr/lib/postgresql; install them (apt-get install postgresql) or set DATABASE_URL"
            )
        }
        binDirectory = "/usr/lib/postgresql/\(version)/bin"
        directory = NSTemporaryDirectory() + "driftline-pg-" + UUID().uuidString.prefix(8)
        port = try Self.freeLoopbackPort()
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if getuid() == 0 {
            try run("/bin/chown", ["postgres", directory], asOwner: false)
        }
    }

    public func start() throws {
        try run(
            "\(binDirectory)/initdb",
            ["-D", "\(directory)/data", "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"], asOwner: true)
        try run(
            "\(binDirectory)/pg_ctl",
            [
                "-D", "\(directory)/data", "-l", "\(directory)/server.log", "-w", "-o",
                "-c listen_addresses=127.0.0.1 -p \(port) -k \(directory) -c fsync=off -c synchronous_commit=off",
                "start",
            ], asOwner: true)
        running = true
    }

    public func stop() {
        guard running else { return }
        running = false
        try? run("\(binDirectory)/pg_ctl", ["-D", "\(directory)/data", "-m", "fast", "-w", "stop"], asOwner: true)
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { stop() }

    /// Runs a command to completion with posix_spawn and waitpid. (Foundation's `Process` was
    /// seen to miss the exit of `runuser pg_ctl start` and wait forever.) Output goes to a file,
    /// not a pipe: the server pg_ctl starts would inherit a pipe and keep it open.
    private func run(_ executable: String, _ arguments: [String], asOwner: Bool) throws {
        let argv =
            asOwner && getuid() == 0
            ? ["/sbin/runuser", "-u", "postgres", "--", executable] + arguments
            : [executable] + arguments
        let outputPath = "\(directory)/command.log"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else {
            throw Failure(description: "cannot start \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            let log = (try? String(contentsOfFile: "\(directory)/server.log", encoding: .utf8)) ?? ""
            throw Failure(
                description: "\((executable as NSString).lastPathComponent) failed (status \(status)): \(text)\(log)")
        }
    }

    /// Binds port 0 on loopback and returns the port the kernel chose.
    static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw Failure(description: "bind() failed: errno \(errno)") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw Failure(description: "getsockname() failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
