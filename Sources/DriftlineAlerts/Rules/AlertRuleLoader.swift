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
        var reading = Reading()
        reading.addFolder(directory)
        return reading.outcome(self)
    }

    /// Loads rule files and folders as named on a command line, in that order: a folder gives its rule files as
    /// ``load(directory:)`` reads them, a file is read whatever its name. Rule names must be unique across all.
    public func load(paths: [String]) -> Outcome {
        var reading = Reading()
        for path in paths {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue {
                reading.addFile(path)
            } else {
                reading.addFolder(path)
            }
        }
        return reading.outcome(self)
    }

    /// Files read so far, and those that could not be read.
    private struct Reading {
        var files: [(path: String, text: String)] = []
        var errors: [AlertSpecError] = []

        mutating func addFolder(_ directory: String) {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory)
            } catch {
                errors.append(
                    AlertSpecError(
                        code: .unreadable, file: directory, line: nil, column: nil, key: "",
                        expected: "a readable folder of rule files", found: "\(error)"))
                return
            }
            for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                addFile((directory as NSString).appendingPathComponent(name))
            }
        }

        mutating func addFile(_ path: String) {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else {
                errors.append(
                    AlertSpecError(
                        code: .unreadable, file: path, line: nil, column: nil, key: "",
                        expected: "a readable UTF-8 file"))
                return
            }
            files.append((path, text))
        }

        /// Unreadable files and folders first, then the rule files' errors in file order.
        func outcome(_ loader: AlertRuleLoader) -> Outcome {
            var outcome = loader.load(files: files)
            outcome.errors = errors + outcome.errors
            return outcome
        }
    }
}
