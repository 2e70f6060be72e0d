public import DriftlineAlerts
public import Foundation

extension PipelineConfiguration {
    /// `alerts:` — the rule files the engine evaluates, how often, and where notifications go.
    /// See `alerts/README.md` and docs/alerts.md.
    ///
    /// ```yaml
    /// alerts:
    ///   rules: alerts                 # folder of rule files (default alerts)
    ///   every_seconds: 30             # evaluation interval
    ///   external_url: http://localhost:3000
    ///   receivers:
    ///     - name: oncall
    ///       url: http://127.0.0.1:9095/
    ///       secret: env:DRIFTLINE_WEBHOOK_SECRET   # optional HMAC secret (env: or file:)
    ///       timeout_seconds: 10
    ///       match: {severity: page}   # optional label equality; default every alert
    ///       group_by: [alertname]
    ///       group_wait_seconds: 10
    ///       group_interval_seconds: 300
    ///       repeat_interval_seconds: 14400
    /// ```
    public struct AlertSettings: Codable, Sendable, Equatable {
        public var rules = "alerts"
        /// Whether `rules` was written in the file (a missing folder is then an error; the
        /// default folder may be absent, and alerting is off).
        public var rulesConfigured = false
        public var everySeconds = 30
        public var externalURL = "http://localhost:3000"
        public var receivers: [ReceiverSettings] = []

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case rules, receivers
            case everySeconds = "every_seconds"
            case externalURL = "external_url"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            if let rules = try container.decodeIfPresent(String.self, forKey: .rules) {
                self.rules = rules
                rulesConfigured = true
            }
            everySeconds = try container.decodeInteger(.everySeconds, expected: "a number of seconds") ?? everySeconds
            externalURL = try container.decodeIfPresent(String.self, forKey: .externalURL) ?? externalURL
            receivers = try container.decodeIfPresent([ReceiverSettings].self, forKey: .receivers) ?? receivers
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(rules, forKey: .rules)
            try container.encode(everySeconds, forKey: .everySeconds)
            try container.encode(externalURL, forKey: .externalURL)
            try container.encode(receivers, forKey: .receivers)
        }

        /// The routes with their receivers' secrets resolved (`env:NAME`, `file:PATH`).
        public func routes(environment: [String: String] = ProcessInfo.processInfo.environment) throws
            -> [AlertRoute]
        {
            try receivers.enumerated().map { index, receiver in
                let secret = try receiver.secret.map {
                    try PipelineConfiguration.resolve(
                        $0, key: "alerts.receivers[\(index)].secret", environment: environment)
                }
                return AlertRoute(
                    receiver: WebhookReceiver(
                        name: receiver.name, url: receiver.url, secret: secret,
                        timeout: .seconds(receiver.timeoutSeconds)),
                    matchers: receiver.match,
                    grouping: NotificationGroups.Settings(
                        groupBy: receiver.groupBy, groupWait: .seconds(receiver.groupWaitSeconds),
                        groupInterval: .seconds(receiver.groupIntervalSeconds),
                        repeatInterval: .seconds(receiver.repeatIntervalSeconds)))
            }
        }

        func validate(file: String?) throws {
            func fail(_ key: String, _ message: String) -> ConfigurationError {
                ConfigurationError(file: file, key: "alerts.\(key)", message)
            }
            guard everySeconds >= 1 else { throw fail("every_seconds", "must be at least 1, got \(everySeconds)") }
            var names: Set<String> = []
            for (index, receiver) in receivers.enumerated() {
                let key = "receivers[\(index)]"
                guard RuleName.isValid(receiver.name) else {
                    throw fail("\(key).name", "expected lower-case letters, digits, - and _, got \"\(receiver.name)\"")
                }
                guard names.insert(receiver.name).inserted else {
                    throw fail("\(key).name", "receiver \(receiver.name) is defined twice")
                }
                guard let url = URL(string: receiver.url), url.scheme == "http" || url.scheme == "https",
                    url.host != nil
                else {
                    throw fail("\(key).url", "expected an http:// or https:// URL, got \"\(receiver.url)\"")
                }
                guard receiver.timeoutSeconds >= 1 else {
                    throw fail("\(key).timeout_seconds", "must be at least 1, got \(receiver.timeoutSeconds)")
                }
                for (name, value) in [
                    ("group_wait_seconds", receiver.groupWaitSeconds),
                    ("group_interval_seconds", receiver.groupIntervalSeconds),
                    ("repeat_interval_seconds", receiver.repeatIntervalSeconds),
                ] where value < 0 {
                    throw fail("\(key).\(name)", "must not be negative, got \(value)")
                }
            }
        }
    }

    /// One webhook receiver of `alerts.receivers`.
    public struct ReceiverSettings: Codable, Sendable, Equatable {
        public var name: String
        public var url: String
        /// `env:NAME`, `file:PATH` or (discouraged) the secret itself; never printed.
        public var secret: String?
        public var timeoutSeconds = 10
        public var match: [String: String] = [:]
        public var groupBy = ["alertname"]
        /// Shorter than Alertmanager's 30 s: a page should reach the on-call engineer within a
        /// minute of the incident, and evaluations already run every 30 s.
        public var groupWaitSeconds = 10
        public var groupIntervalSeconds = 300
        public var repeatIntervalSeconds = 4 * 3_600

        public init(name: String, url: String, secret: String? = nil) {
            self.name = name
            self.url = url
            self.secret = secret
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, url, secret, match
            case timeoutSeconds = "timeout_seconds"
            case groupBy = "group_by"
            case groupWaitSeconds = "group_wait_seconds"
            case groupIntervalSeconds = "group_interval_seconds"
            case repeatIntervalSeconds = "repeat_interval_seconds"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            url = try container.decode(String.self, forKey: .url)
            secret = try container.decodeIfPresent(String.self, forKey: .secret)
            timeoutSeconds = try container.decodeInteger(.timeoutSeconds, expected: "a number of seconds") ?? 10
            match = try container.decodeIfPresent([String: String].self, forKey: .match) ?? [:]
            groupBy = try container.decodeIfPresent([String].self, forKey: .groupBy) ?? groupBy
            groupWaitSeconds =
                try container.decodeInteger(.groupWaitSeconds, expected: "a number of seconds") ?? groupWaitSeconds
            groupIntervalSeconds =
                try container.decodeInteger(.groupIntervalSeconds, expected: "a number of seconds")
                ?? groupIntervalSeconds
            repeatIntervalSeconds =
                try container.decodeInteger(.repeatIntervalSeconds, expected: "a number of seconds")
                ?? repeatIntervalSeconds
        }
    }
}
