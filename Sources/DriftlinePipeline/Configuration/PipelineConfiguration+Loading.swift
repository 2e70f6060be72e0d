public import Foundation
import Yams

extension PipelineConfiguration {
    /// Loads a YAML file; a bad file fails with the file, the key (or line and column) and what
    /// was expected.
    public static func load(file: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> PipelineConfiguration
    {
        var configuration = try parse(yaml: try readConfigurationFile(file), file: file)
        try configuration.applyEnvironment(environment)
        try configuration.validate(file: file)
        return configuration
    }

    /// The file at `--config`, or the configuration the environment alone describes: what the
    /// commands that only talk to PostgreSQL (`migrate`, `prices check`, `cost report`) read.
    public static func load(
        optionalFile file: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> PipelineConfiguration {
        if let file { return try load(file: file, environment: environment) }
        var configuration = PipelineConfiguration()
        try configuration.applyEnvironment(environment)
        try configuration.validate()
        return configuration
    }

    /// A file holding no settings at all (empty, or only comments) is refused, the same way in
    /// both cases: a configuration mounted empty by mistake must not run on the defaults.
    public static func parse(yaml: String, file: String? = nil) throws -> PipelineConfiguration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw ConfigurationError(file: file, key: "", ConfigurationError.describe(error))
        }
        guard let root, !Self.isNull(root) else {
            throw ConfigurationError(
                file: file, key: "",
                "holds no settings (the file is empty or has only comments); write the sections to change, "
                    + "e.g. `kafka:` or `postgres:`, or start from pipelines/default.yaml")
        }
        guard root.mapping != nil else {
            throw ConfigurationError(
                file: file, key: "",
                "expected a mapping of sections (kafka:, postgres:, aggregation:, …), got \(Self.shape(of: root))")
        }
        do {
            return try YAMLDecoder().decode(PipelineConfiguration.self, from: root)
        } catch let error as DecodingError {
            throw ConfigurationError(decodingError: error, file: file)
        } catch let error as ConfigurationError {
            throw error
        } catch let error as YamlError {
            throw ConfigurationError(file: file, key: "", ConfigurationError.describe(error))
        }
    }

    private static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.string.isEmpty
            || (scalar.style == .plain && ["~", "null", "Null", "NULL"].contains(scalar.string))
    }

    private static func shape(of node: Node) -> String {
        switch node {
        case .scalar(let scalar): "the text \"\(scalar.string)\""
        case .sequence: "a list"
        case .mapping: "a mapping"
        case .alias: "an alias"
        }
    }

    /// The text of a configuration file, or an error that says why it cannot be read (a
    /// directory, a missing file, no permission, not UTF-8) in words, not as an `NSError` code.
    static func readConfigurationFile(_ file: String) throws(ConfigurationError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            throw ConfigurationError(file: file, key: "", "no such file")
        }
        if isDirectory.boolValue {
            throw ConfigurationError(
                file: file, key: "", "is a directory; expected a YAML file such as pipelines/default.yaml")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            let reason = FileManager.default.isReadableFile(atPath: file) ? "cannot read the file" : "permission denied"
            throw ConfigurationError(file: file, key: "", reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(file: file, key: "", "is not UTF-8 text")
        }
        return text
    }
}
