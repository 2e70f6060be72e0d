/// Migration 13: the storage lifecycle. A partial index of each rolled-up table's sub-hour rows
/// lets the rollup find the hours to merge (and late rows for hours already merged) without
/// walking the hourly rows of the whole retention; it holds only the not-yet-rolled rows.
enum LifecycleSQL {
    static let statements: [String] = [
        "dl_windows", "dl_costs", "dl_span_counts", "dl_category_counts", "dl_threshold_counts", "dl_quality_counts",
    ].map {
        "CREATE INDEX IF NOT EXISTS \($0)_sub_hour ON \($0) (window_start) WHERE window_seconds < 3600"
    }
}
