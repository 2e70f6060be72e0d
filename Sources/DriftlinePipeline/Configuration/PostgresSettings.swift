import DriftlineStore

extension PipelineConfiguration {
    /// `postgres:` — where the aggregates are stored, and how long to wait for the server.
    public struct PostgresSettings: Codable, Sendable, Equatable {
        /// libpq-style URL; `DATABASE_URL` overrides it.
        public var url = DatabaseURL.loopbackDefault
        /// A file holding the password (Docker/Kubernetes secrets); `DATABASE_PASSWORD_FILE` overrides it.
        public var passwordFile: String?
        public var maxConnections = 4
        /// How long one connection attempt (TCP, TLS and authentication) may take, in seconds;
        /// every command that talks to PostgreSQL fails after it with the address and the cause.
        /// `DATABASE_CONNECT_TIMEOUT` overrides it.
        public var connectTimeoutSeconds = 10
        /// How long `driftline run` keeps retrying at start while the server is unreachable
        /// (refused, timed out, starting up), with a countdown in the log; 0 tries once.
        /// Permanent errors (authentication, a missing database, TLS set-up) never wait.
        public var startupRetrySeconds = 60

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case url
            case passwordFile = "password_file"
            case maxConnections = "max_connections"
            case connectTimeoutSeconds = "connect_timeout_seconds"
            case startupRetrySeconds = "startup_retry_seconds"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            url = try container.decodeIfPresent(String.self, forKey: .url) ?? url
            passwordFile = try container.decodeIfPresent(String.self, forKey: .passwordFile)
            maxConnections =
                try container.decodeInteger(.maxConnections, expected: "an integer number of connections")
                ?? maxConnections
            connectTimeoutSeconds =
                try container.decodeInteger(.connectTimeoutSeconds, expected: "an integer number of seconds")
                ?? connectTimeoutSeconds
            startupRetrySeconds =
                try container.decodeInteger(.startupRetrySeconds, expected: "an integer number of seconds")
                ?? startupRetrySeconds
        }

        public var connectTimeout: Duration { .seconds(connectTimeoutSeconds) }
    }
}
