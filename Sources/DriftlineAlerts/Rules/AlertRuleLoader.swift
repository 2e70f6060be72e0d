import Foundation

/// Reads every `*.yaml` / `*.yml` file of a rules folder (not recursive, `README.md` and others ignored) and
/// collects every file's first error, so `driftline alerts check` reports all broken files at once.
public struct AlertRuleLoader: Sendable {
    public var registry: AlertRuleKindRegistry

    public init(registry: AlertRuleKindRegistry = .standard) {
        self.registry = registry
    }

    public struct Outcome: Sendable {
        public var rules: [any AlertRule]
        /// In file order; empty when every file is valid.
        public var errors: [AlertSpecError]
    }

    /// `files` are (path as shown in messages, contents) pairs, in the order to report them.
    public func load(files: [(path: String, text: String)]) -> Outcome {
        var outcome = Outcome(rules: [], errors: [])
        var seen: [String: String] = [:]
        for (path, text) in files {
            do {
                let rule = try registry.decode(yaml: text, file: path)
                if let first = seen[rule.name] {
                    let spec = try SpecMapping.parse(yaml: text, file: path)
                    outcome.errors.append(
                        spec.error(
                            .duplicateName, key: "name", expected: "a name not already used by \(first)",
                            found: rule.name))
                    continue
                }
                seen[rule.name] = path
                outcome.rules.append(rule)
            } catch {
                outcome.errors.append(error)
            }
        }
        return outcome
    }

    /// Loads the rule files of `directory`, sorted by name; paths in messages are `directory/name`.
    public func load(directory: String) -> Outcome {
        let manager = FileManager.default
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: directory)
        } catch {
            return Outcome(
                rules: [],
                errors: [
                    AlertSpecError(
                        code: .unreadable, file: directory, line: nil, column: nil, key: "",
                        expected: "a readable folder of rule files", found: "\(error)")
                ])
        }
        var files: [(path: String, text: String)] = []
        var errors: [AlertSpecError] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = manager.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                errors.append(
                    AlertSpecError(
                        code: .unreadable, file: path, line: nil, column: nil, key: "",
                        expected: "a readable UTF-8 file"))
                continue
            }
            files.append((path, text))
        }
        var outcome = load(files: files)
        outcome.errors = errors + outcome.errors
        return outcome
    }
}
