import Foundation
import Yams

/// A YAML mapping of a rule file, read key by key with errors that carry the file, the line and the key path.
///
/// Rule kinds registered in ``AlertRuleKindRegistry`` decode themselves from one of these, so they never see Yams
/// and every kind reports mistakes the same way. Reading a key marks it as known; ``rejectUnknownKeys()`` then
/// turns a typo (`objectve:`) into an error instead of a silently ignored setting.
public struct SpecMapping {
    public let file: String
    /// Dotted path of this mapping from the document root; empty at the root.
    public let path: String
    let mapping: Node.Mapping
    private let known: KeySet

    /// Reference type so that reads through copies of the mapping still count as known keys.
    private final class KeySet {
        var keys: Set<String> = []
    }

    init(file: String, path: String, mapping: Node.Mapping) {
        self.file = file
        self.path = path
        self.mapping = mapping
        self.known = KeySet()
    }

    /// An empty mapping, for a key written without a body (`availability:`).
    static func empty(file: String, path: String) -> SpecMapping {
        SpecMapping(file: file, path: path, mapping: Node.Mapping([]))
    }

    /// Parses `text` as one YAML document whose root is a mapping.
    public static func parse(yaml text: String, file: String) throws(AlertSpecError) -> SpecMapping {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            let mark = Self.mark(of: error)
            throw AlertSpecError(
                code: .syntax, file: file, line: mark?.line, column: mark?.column, key: "",
                expected: "valid YAML", found: Self.problem(of: error))
        } catch {
            throw AlertSpecError(
                code: .syntax, file: file, line: nil, column: nil, key: "", expected: "valid YAML",
                found: "\(error)")
        }
        guard let node, let mapping = node.mapping else {
            throw AlertSpecError(
                code: .wrongType, file: file, line: node?.mark?.line, column: node?.mark?.column, key: "",
                expected: "a mapping of keys (kind, name, …)")
        }
        return SpecMapping(file: file, path: "", mapping: mapping)
    }

    /// The keys present, in file order.
    public var keys: [String] { mapping.keys.compactMap(\.string) }

    public func contains(_ key: String) -> Bool {
        known.keys.insert(key)
        return mapping[key] != nil
    }

    public func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// An error at the value of `key`, or at this mapping when the key is absent.
    public func error(
        _ code: AlertSpecError.Code, key: String, expected: String, found: String? = nil
    ) -> AlertSpecError {
        let mark = mapping[key]?.mark ?? mapping.mark
        return AlertSpecError(
            code: code, file: file, line: mark?.line, column: mark?.column, key: keyPath(key), expected: expected,
            found: found)
    }

    /// Fails on the first key that no read asked for.
    public func rejectUnknownKeys() throws(AlertSpecError) {
        for (keyNode, _) in mapping {
            guard let key = keyNode.string else {
                throw AlertSpecError(
                    code: .wrongType, file: file, line: keyNode.mark?.line, column: keyNode.mark?.column,
                    key: path, expected: "string keys")
            }
            if !known.keys.contains(key) {
                let allowed = known.keys.sorted().joined(separator: ", ")
                throw AlertSpecError(
                    code: .unknownKey, file: file, line: keyNode.mark?.line, column: keyNode.mark?.column,
                    key: keyPath(key), expected: "one of: \(allowed)", found: key)
            }
        }
    }

    // MARK: Typed reads

    private func node(_ key: String) -> Node? {
        known.keys.insert(key)
        guard let node = mapping[key] else { return nil }
        // `key:` with nothing after it, `~` and `null` read as absent.
        if node.null != nil { return nil }
        return node
    }

    private func required(_ key: String, expected: String) throws(AlertSpecError) -> Node {
        guard let node = node(key) else { throw error(.missingKey, key: key, expected: expected) }
        return node
    }

    private func scalarText(_ node: Node, key: String, expected: String) throws(AlertSpecError) -> String {
        guard let scalar = node.scalar else {
            throw error(.wrongType, key: key, expected: expected, found: Self.shapeName(node))
        }
        return scalar.string
    }

    public func string(_ key: String, expected: String = "a string") throws(AlertSpecError) -> String {
        try scalarText(required(key, expected: expected), key: key, expected: expected)
    }

    public func optionalString(_ key: String, expected: String = "a string") throws(AlertSpecError) -> String? {
        guard let node = node(key) else { return nil }
        return try scalarText(node, key: key, expected: expected)
    }

    public func optionalNumber(_ key: String, expected: String = "a number") throws(AlertSpecError) -> Double? {
        guard let node = node(key) else { return nil }
        let text = try scalarText(node, key: key, expected: expected)
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
            throw error(.wrongType, key: key, expected: expected, found: text)
        }
        return value
    }

    public func number(_ key: String, expected: String = "a number") throws(AlertSpecError) -> Double {
        guard let value = try optionalNumber(key, expected: expected) else {
            throw error(.missingKey, key: key, expected: expected)
        }
        return value
    }

    public func optionalInteger(_ key: String, expected: String = "a whole number") throws(AlertSpecError) -> Int? {
        guard let node = node(key) else { return nil }
        let text = try scalarText(node, key: key, expected: expected)
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw error(.wrongType, key: key, expected: expected, found: text)
        }
        return value
    }

    public func optionalBool(_ key: String) throws(AlertSpecError) -> Bool? {
        guard let node = node(key) else { return nil }
        let text = try scalarText(node, key: key, expected: "true or false")
        switch text {
        case "true": return true
        case "false": return false
        default: throw error(.wrongType, key: key, expected: "true or false", found: text)
        }
    }

    /// A duration such as `30d`, `6h`, `5m`, `90s`; see ``AlertDuration``.
    public func optionalDuration(_ key: String) throws(AlertSpecError) -> Duration? {
        let expected = "a duration such as 30d, 6h, 5m or 90s"
        guard let node = node(key) else { return nil }
        let text = try scalarText(node, key: key, expected: expected)
        guard let duration = AlertDuration.parse(text) else {
            throw error(.invalidValue, key: key, expected: expected, found: text)
        }
        return duration
    }

    public func duration(_ key: String) throws(AlertSpecError) -> Duration {
        guard let value = try optionalDuration(key) else {
            throw error(.missingKey, key: key, expected: "a duration such as 30d, 6h, 5m or 90s")
        }
        return value
    }

    public func optionalMapping(_ key: String) throws(AlertSpecError) -> SpecMapping? {
        guard let node = node(key) else { return nil }
        guard let mapping = node.mapping else {
            throw error(.wrongType, key: key, expected: "a mapping", found: Self.shapeName(node))
        }
        return SpecMapping(file: file, path: keyPath(key), mapping: mapping)
    }

    public func mapping(_ key: String, expected: String = "a mapping") throws(AlertSpecError) -> SpecMapping {
        guard let value = try optionalMapping(key) else { throw error(.missingKey, key: key, expected: expected) }
        return value
    }

    /// A list of mappings, each read as its own ``SpecMapping`` with path `key[i]`.
    public func optionalMappingList(_ key: String) throws(AlertSpecError) -> [SpecMapping]? {
        guard let node = node(key) else { return nil }
        guard let sequence = node.sequence else {
            throw error(.wrongType, key: key, expected: "a list of mappings", found: Self.shapeName(node))
        }
        var result: [SpecMapping] = []
        for (index, element) in sequence.enumerated() {
            guard let mapping = element.mapping else {
                throw AlertSpecError(
                    code: .wrongType, file: file, line: element.mark?.line, column: element.mark?.column,
                    key: "\(keyPath(key))[\(index)]", expected: "a mapping", found: Self.shapeName(element))
            }
            result.append(SpecMapping(file: file, path: "\(keyPath(key))[\(index)]", mapping: mapping))
        }
        return result
    }

    /// A list of strings; a single string is accepted as a list of one.
    public func optionalStringList(_ key: String) throws(AlertSpecError) -> [String]? {
        guard let node = node(key) else { return nil }
        return try Self.strings(of: node, file: file, key: keyPath(key))
    }

    /// A mapping of string keys to strings (labels, annotations).
    public func optionalStringMap(_ key: String) throws(AlertSpecError) -> [String: String]? {
        guard let node = node(key) else { return nil }
        guard let mapping = node.mapping else {
            throw error(.wrongType, key: key, expected: "a mapping of names to strings", found: Self.shapeName(node))
        }
        var result: [String: String] = [:]
        for (name, value) in mapping {
            guard let name = name.string, let text = value.scalar?.string else {
                throw AlertSpecError(
                    code: .wrongType, file: file, line: value.mark?.line, column: value.mark?.column,
                    key: "\(keyPath(key)).\(name.string ?? "?")", expected: "a string", found: Self.shapeName(value))
            }
            result[name] = text
        }
        return result
    }

    /// A mapping of string keys to a string or a list of strings (dimension filters).
    public func optionalStringListMap(_ key: String) throws(AlertSpecError) -> [(key: String, values: [String])]? {
        guard let node = node(key) else { return nil }
        guard let mapping = node.mapping else {
            throw error(.wrongType, key: key, expected: "a mapping of names to values", found: Self.shapeName(node))
        }
        var result: [(key: String, values: [String])] = []
        for (name, value) in mapping {
            let path = "\(keyPath(key)).\(name.string ?? "?")"
            guard let name = name.string else {
                throw AlertSpecError(
                    code: .wrongType, file: file, line: value.mark?.line, column: value.mark?.column, key: path,
                    expected: "string keys")
            }
            let values = try Self.strings(of: value, file: file, key: path)
            result.append((name, values))
        }
        return result
    }

    /// Line and column of a key's value (or of this mapping), for kinds that validate after reading.
    public func position(of key: String) -> (line: Int, column: Int)? {
        guard let mark = mapping[key]?.mark ?? mapping.mark else { return nil }
        return (mark.line, mark.column)
    }

    // MARK: Helpers

    private static func strings(of node: Node, file: String, key: String) throws(AlertSpecError) -> [String] {
        if let scalar = node.scalar { return [scalar.string] }
        guard let sequence = node.sequence else {
            throw AlertSpecError(
                code: .wrongType, file: file, line: node.mark?.line, column: node.mark?.column, key: key,
                expected: "a string or a list of strings", found: shapeName(node))
        }
        var result: [String] = []
        for (index, element) in sequence.enumerated() {
            guard let text = element.scalar?.string else {
                throw AlertSpecError(
                    code: .wrongType, file: file, line: element.mark?.line, column: element.mark?.column,
                    key: "\(key)[\(index)]", expected: "a string", found: shapeName(element))
            }
            result.append(text)
        }
        return result
    }

    private static func shapeName(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): scalar.string
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    private static func mark(of error: YamlError) -> Mark? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark
        case .duplicatedKeysInMapping(_, let context): context.mark
        default: nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            problem
        case .duplicatedKeysInMapping(let duplicates, _): "duplicate keys \(duplicates.joined(separator: ", "))"
        default: "\(error)"
        }
    }
}
