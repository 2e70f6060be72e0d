import Foundation

/// A plain fixed-width text table for terminal output.
public struct TextTable {
    public var columns: [String]
    public var rows: [[String]] = []
    public init(columns: [String]) { self.columns = columns }
    public mutating func add(_ row: [String]) { rows.append(row) }
    public func render() -> String {
        var widths = columns.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i < 2
                    ? cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[i] - cell.count) + cell
            }.joined(separator: "  ")
        }
        var out = line(columns) + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }
}
