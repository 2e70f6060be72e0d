import Foundation

/// Labelled rows for evaluating a faithfulness scorer, one JSON object per line: `id` (string or
/// number), `doc` (the context), `claim` (the response), `label` (1 or true = supported, 0 or
/// false = not) and optionally `source` (reported separately). Blank lines are skipped; any
/// other bad line fails the whole file, naming the line and the field, before anything is scored.
public struct FaithfulnessEvaluationSet: Sendable {
    public struct Row: Sendable, Equatable {
        public var id: String
        public var context: String
        public var response: String
        public var supported: Bool
        public var source: String?
        public var line: Int

        public init(id: String, context: String, response: String, supported: Bool, source: String?, line: Int) {
            self.id = id
            self.context = context
            self.response = response
            self.supported = supported
            self.source = source
            self.line = line
        }
    }

    public struct RowError: Error, CustomStringConvertible, Sendable {
        public var line: Int
        public var field: String?
        public var message: String
        public var description: String {
            "line \(line)" + (field.map { ", field '\($0)'" } ?? "") + ": \(message)"
        }
    }

    public var rows: [Row]

    public init(rows: [Row]) { self.rows = rows }

    public init(jsonLines text: String) throws(RowError) {
        var rows: [Row] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            guard line.contains(where: { !$0.isWhitespace }) else { continue }
            let object: [String: Any]
            do {
                guard let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                    throw RowError(line: number, field: nil, message: "not a JSON object")
                }
                object = parsed
            } catch let error as RowError {
                throw error
            } catch {
                throw RowError(line: number, field: nil, message: "not valid JSON")
            }
            func text(_ field: String) throws(RowError) -> String {
                guard let value = object[field] else {
                    throw RowError(line: number, field: field, message: "missing")
                }
                guard let string = value as? String else {
                    throw RowError(line: number, field: field, message: "expected a string")
                }
                guard string.contains(where: { $0.isLetter || $0.isNumber }) else {
                    throw RowError(line: number, field: field, message: "has no words")
                }
                return string
            }
            let id: String
            switch object["id"] {
            case let string as String where !string.isEmpty: id = string
            case let number as NSNumber:
                id = number.stringValue
            case nil: throw RowError(line: number, field: "id", message: "missing")
            default: throw RowError(line: number, field: "id", message: "expected a non-empty string or a number")
            }
            let supported: Bool
            switch object["label"] {
            case let number as NSNumber where number.doubleValue == 1: supported = true
            case let number as NSNumber where number.doubleValue == 0: supported = false
            case nil: throw RowError(line: number, field: "label", message: "missing")
            default: throw RowError(line: number, field: "label", message: "expected 1 (supported) or 0")
            }
            let source: String?
            switch object["source"] {
            case nil, is NSNull: source = nil
            case let string as String: source = string
            default: throw RowError(line: number, field: "source", message: "expected a string")
            }
            rows.append(
                Row(
                    id: id, context: try text("doc"), response: try text("claim"), supported: supported,
                    source: source, line: number))
        }
        self.rows = rows
    }
}
