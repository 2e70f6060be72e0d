/// Line and bar colours (Tableau 10, distinguishable and print-safe); series past the tenth
/// repeat a colour with a dashed line.
enum ChartPalette {
    static let colors = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    ]

    static func color(_ index: Int) -> String { colors[index % colors.count] }

    static func dash(_ index: Int) -> String? { index >= colors.count ? "6 3" : nil }

    /// PSI severities (`PSISeverity`): green, yellow, red.
    static let severity: [String: String] = ["stable": "#59a14f", "minor": "#edc948", "major": "#e15759"]
}
