import Foundation
import Yams

extension ConfigurationError {
    init(decodingError: DecodingError, file: String?) {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch decodingError {
        case .typeMismatch(let type, let context):
            self.init(file: file, key: path(context.codingPath), "expected \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            self.init(file: file, key: path(context.codingPath), "expected \(Self.describe(type)), found nothing")
        case .keyNotFound(let key, let context):
            self.init(file: file, key: path(context.codingPath + [key]), "is required")
        case .dataCorrupted(let context):
            if let yaml = context.underlyingError as? YamlError {
                self.init(file: file, key: path(context.codingPath), Self.describe(yaml))
            } else {
                self.init(file: file, key: path(context.codingPath), context.debugDescription)
            }
        @unknown default:
            self.init(file: file, key: "", "\(decodingError)")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is [String].Type: "a list of strings"
        case is [String: String].Type, is [String: [String]].Type: "a mapping"
        default: "\(type)"
        }
    }

    /// A YAML syntax error as `line 3, column 1: <libyaml's problem>`, with a hint for the
    /// usual culprits (a tab, a duplicate key).
    static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, let yaml),
            .parser(let context, let problem, let mark, let yaml),
            .composer(let context, let problem, let mark, let yaml):
            var text = "line \(mark.line), column \(mark.column): not valid YAML: \(problem)"
            if let context { text += " (\(context.text), line \(context.mark.line), column \(context.mark.column))" }
            if containsTab(yaml, line: mark.line) || containsTab(yaml, line: context?.mark.line) {
                text += "; YAML indents with spaces, not tabs"
            }
            return text
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            return "line \(context.mark.line), column \(context.mark.column): \(keys) appears twice in the same mapping"
        case .reader(let problem, let offset, _, _):
            return "not valid YAML text: \(problem)\(offset.map { " at character \($0)" } ?? "")"
        default:
            return "not valid YAML: \(error)"
        }
    }

    private static func containsTab(_ yaml: String, line: Int?) -> Bool {
        guard let line, line >= 1 else { return false }
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        guard line <= lines.count else { return false }
        return lines[line - 1].prefix { $0 == " " || $0 == "\t" }.contains("\t")
    }
}
