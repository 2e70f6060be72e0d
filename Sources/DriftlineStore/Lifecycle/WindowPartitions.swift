/// The weekly range partitions of a per-window table (migration 14): which weeks a run makes,
/// and which partitions retention may drop whole.
///
/// Weeks start on Monday 00:00 UTC. A run makes the partition of the current week and of the
/// next `weeksAhead` weeks before any row needs them, and one for every other week of which the
/// default partition holds rows still within retention (rows written before the table had its
/// partition, e.g. by a migrated installation or after the lifecycle was off), moving those
/// rows in. Weeks further ahead stay in the default partition: a clock years off must not make a
/// partition per week it skips.
public enum WindowPartitions {
    public static let width: Int64 = 7 * 86_400
    /// Monday 1970-01-05 00:00 UTC.
    static let origin: Int64 = 4 * 86_400
    public static let weeksAhead: Int64 = 2

    /// The start of the week holding `seconds`.
    public static func weekStart(_ seconds: Int64) -> Int64 {
        let offset = seconds - origin
        return origin + (offset - ((offset % width) + width) % width)
    }

    /// The weeks the run at `now` makes partitions for regardless of the rows: this one and the
    /// next `weeksAhead`.
    public static func upcomingWeeks(now: Int64) -> [Int64] {
        let current = weekStart(now)
        return (0...weeksAhead).map { current + $0 * width }
    }

    /// The end of the last week a run makes a partition for.
    static func horizon(now: Int64) -> Int64 { weekStart(now) + (weeksAhead + 1) * width }

    /// The cut-off before which a whole partition may be dropped: every row of it is past the
    /// retention of both resolutions. Nil when either resolution is kept forever.
    static func dropCutoff(policy: LifecyclePolicy, now: Int64) -> Int64? {
        guard let minutes = policy.retention[.subHourWindows], let hours = policy.retention[.hourWindows] else {
            return nil
        }
        return now - max(minutes, hours)
    }

    /// The week starts of the default partition's rows in `[$1, $2)`.
    static func defaultWeeksSQL(_ table: String) -> String {
        """
        SELECT DISTINCT extract(epoch FROM date_bin('7 days', window_start, TIMESTAMPTZ '1970-01-05 00:00:00+00'))::int8
        FROM \(table)_default
        WHERE window_start >= to_timestamp($1) AND window_start < to_timestamp($2)
        ORDER BY 1
        """
    }

    /// The partitioned tables among `tables`.
    static let partitionedSQL = """
        SELECT relname::text FROM pg_class
        WHERE relkind = 'p' AND relname = ANY($1) AND relnamespace = current_schema()::regnamespace
        """

    /// Name and bounds (epoch seconds) of the range partitions of `$1`.
    static let partitionsSQL = """
        SELECT name, extract(epoch FROM range_from)::int8, extract(epoch FROM range_to)::int8
        FROM dl_window_partitions($1)
        """
}
