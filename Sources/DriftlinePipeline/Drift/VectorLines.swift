/// The text format of `driftline drift embeddings`: one vector per line, its elements separated by
/// commas (CSV without a header or quoting), all of one dimension. Blank lines are skipped; errors
/// name the 1-based line.
public enum VectorLines {
    public static func vectors(in text: String, source: String) throws -> [[Double]] {
        var vectors: [[Double]] = []
        var first: (line: Int, dimension: Int)?
        for (index, line) in NumberLines.lines(text) {
            var vector: [Double] = []
            for (column, field) in line.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
                let field = field.trimmingWhitespace()
                guard let value = NumberLines.finiteDecimal(field) else {
                    throw DriftToolError(
                        .badInput,
                        "\(source):\(index): element \(column + 1) is not a finite number: \"\(field)\"")
                }
                vector.append(value)
            }
            if let first, vector.count != first.dimension {
                throw DriftToolError(
                    .badInput,
                    "\(source):\(index): \(vector.count) elements, expected \(first.dimension) like line \(first.line)")
            }
            if first == nil { first = (index, vector.count) }
            vectors.append(vector)
        }
        return vectors
    }
}
