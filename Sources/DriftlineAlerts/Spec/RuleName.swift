/// Rule names: the `name:` of every rule file, unique across `alerts/`, made of lower-case letters, digits, `-`
/// and `_` so they read the same in labels, URLs and SQL.
/// Receiver names follow the same rule.
public enum RuleName {
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
            }
    }

    static func read(_ spec: SpecMapping) throws(AlertSpecError) -> String {
        let expected = "a name of lower-case letters, digits, - and _"
        let name = try spec.string("name", expected: expected)
        guard isValid(name) else { throw spec.error(.invalidValue, key: "name", expected: expected, found: name) }
        return name
    }
}
