/// Migration 5: sums that saturate instead of failing, and the table of rows PostgreSQL refused.
enum RobustnessSQL {
    static let statements: [String] = [
        // Counter sums stop at the bigint range instead of failing the flush with `bigint out of
        // range` (which would be retried forever). Decoders bound each record's counts; this
        // covers the sum of many records. The in-memory sums saturate the same way.
        """
        CREATE OR REPLACE FUNCTION dl_sat_add(a bigint, b bigint) RETURNS bigint
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT GREATEST(LEAST(a::numeric + b::numeric, 9223372036854775807), -9223372036854775808)::bigint
        $$
        """,
        """
        CREATE OR REPLACE FUNCTION dl_counts_add(a jsonb, b jsonb) RETURNS jsonb
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT coalesce(jsonb_object_agg(k, LEAST(total, 9223372036854775807)), '{}'::jsonb)
            FROM (
                SELECT k, sum(v) AS total
                FROM (
                    SELECT key AS k, value::numeric AS v FROM jsonb_each_text(coalesce(a, '{}'::jsonb))
                    UNION ALL
                    SELECT key, value::numeric FROM jsonb_each_text(coalesce(b, '{}'::jsonb))
                ) AS pairs
                GROUP BY k
            ) AS sums
        $$
        """,
        // Rows of a flush that PostgreSQL refused (the last line of defence behind the
        // decoders' limits): the rest of the flush was stored with its offsets.
        """
        CREATE TABLE IF NOT EXISTS dl_rejected_rows (
            id             bigserial   PRIMARY KEY,
            consumer_group text        NOT NULL,
            target_table   text        NOT NULL,
            rows           text        NOT NULL,
            sqlstate       text        NOT NULL,
            reason         text        NOT NULL,
            rejected_at    timestamptz NOT NULL DEFAULT now()
        )
        """,
    ]
}
