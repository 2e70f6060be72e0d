/// Rule names: the `name:` of every rule file, unique across `alerts/`, made of lower-case letters, digits, `-`
/// and `_` so they read the same in labels, URLs and SQL.
enum RuleName {
    static func read(_ spec: SpecMapping) throws(AlertSpecError) -> String {
        let expected = "a name of lower-case letters, digits, - and _"
        let name = try spec.string("name", expected: expected)
        let valid =
            !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
            }
        guard valid else { throw spec.error(.invalidValue, key: "name", expected: expected, found: name) }
        return name
    }
}
