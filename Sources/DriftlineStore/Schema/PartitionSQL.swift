/// Migration 14: the per-window tables become partitioned by `window_start` (range partitions of
/// seven days, made ahead of time by the storage lifecycle), so that retention drops a week's
/// partition instead of deleting its rows one by one, and vacuum and the rollup work on the few
/// recent partitions.
///
/// Each table gets a DEFAULT partition, which takes any row no weekly partition covers (the
/// lifecycle has not run yet or is off, a late event for a week already dropped, a clock far in
/// the future). So PostgreSQL never refuses a flushed row for want of a partition; the lifecycle
/// moves the default partition's rows into weekly partitions as it creates them.
///
/// `dl_partition_window_table` converts a table in place: the rows, CHECK constraints, primary
/// key, indexes, and every view that reads the table (with its options, comment and grants) are
/// recreated on the partitioned table. It does nothing to a table that is already partitioned.
enum PartitionSQL {
    /// The tables migration 14 partitions.
    static let tables = [
        "dl_windows", "dl_costs", "dl_span_counts", "dl_category_counts", "dl_threshold_counts", "dl_quality_counts",
    ]

    static let statements: [String] =
        [regrantFunction, convertFunction, createPartitionFunction, partitionsFunction]
        + tables.map { "SELECT dl_partition_window_table('\($0)')" }

    static let convertFunction = """
        CREATE OR REPLACE FUNCTION dl_partition_window_table(tbl text) RETURNS boolean
        LANGUAGE plpgsql AS $$
        DECLARE
            target regclass := tbl::regclass;
            legacy text := tbl || '_unpartitioned';
            saved_views jsonb;
            saved_indexes text[];
            saved_constraints jsonb;
            table_acl aclitem[];
            item record;
            grant_row record;
        BEGIN
            IF (SELECT relkind FROM pg_class WHERE oid = target) = 'p' THEN
                RETURN false;
            END IF;
            -- Every view that reads the table, directly or through another view, oldest first
            -- (a view can only read what existed when it was made).
            WITH RECURSIVE readers(oid) AS (
                SELECT r.ev_class FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
                WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
                  AND d.refobjid = target AND r.ev_class <> target
                UNION
                SELECT r.ev_class FROM readers JOIN pg_depend d ON d.refobjid = readers.oid
                    JOIN pg_rewrite r ON r.oid = d.objid
                WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
                  AND r.ev_class <> readers.oid
            )
            SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'name', c.oid::regclass::text, 'kind', c.relkind,
                       'definition', pg_get_viewdef(c.oid), 'options', c.reloptions,
                       'comment', obj_description(c.oid, 'pg_class'), 'acl', c.relacl::text[])
                       ORDER BY c.oid), '[]'::jsonb)
            INTO saved_views
            FROM pg_class c WHERE c.oid IN (SELECT oid FROM readers);
            IF EXISTS (SELECT FROM jsonb_array_elements(saved_views) v WHERE v ->> 'kind' <> 'v') THEN
                RAISE EXCEPTION 'cannot partition %: a materialized view reads it', tbl;
            END IF;
            SELECT coalesce(jsonb_agg(jsonb_build_object('name', conname, 'definition', pg_get_constraintdef(oid))),
                            '[]'::jsonb)
            INTO saved_constraints
            FROM pg_constraint WHERE conrelid = target AND contype IN ('p', 'u');
            SELECT coalesce(array_agg(pg_get_indexdef(i.indexrelid)), '{}')
            INTO saved_indexes
            FROM pg_index i
            WHERE i.indrelid = target
              AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = target);
            SELECT relacl INTO table_acl FROM pg_class WHERE oid = target;

            EXECUTE format('ALTER TABLE %I RENAME TO %I', tbl, legacy);
            EXECUTE format(
                'CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING COMMENTS '
                'INCLUDING STORAGE INCLUDING STATISTICS) PARTITION BY RANGE (window_start)', tbl, legacy);
            EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', tbl || '_default', tbl);
            EXECUTE format('INSERT INTO %I SELECT * FROM %I', tbl, legacy);
            EXECUTE format('DROP TABLE %I CASCADE', legacy);

            FOR item IN SELECT * FROM jsonb_array_elements(saved_constraints) LOOP
                EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', tbl,
                               item.value ->> 'name', item.value ->> 'definition');
            END LOOP;
            FOR item IN SELECT unnest(saved_indexes) AS definition LOOP
                EXECUTE item.definition;
            END LOOP;
            FOR grant_row IN SELECT (aclexplode(table_acl)).* LOOP
                PERFORM dl_regrant(tbl, grant_row.grantee, grant_row.privilege_type);
            END LOOP;
            FOR item IN SELECT value FROM jsonb_array_elements(saved_views) LOOP
                EXECUTE format('CREATE VIEW %s%s AS %s', item.value ->> 'name',
                    CASE WHEN jsonb_typeof(item.value -> 'options') = 'array'
                         THEN ' WITH (' || (SELECT string_agg(o, ', ')
                                            FROM jsonb_array_elements_text(item.value -> 'options') o) || ')'
                         ELSE '' END,
                    item.value ->> 'definition');
                IF item.value ->> 'comment' IS NOT NULL THEN
                    EXECUTE format('COMMENT ON VIEW %s IS %L', item.value ->> 'name', item.value ->> 'comment');
                END IF;
                IF jsonb_typeof(item.value -> 'acl') = 'array' THEN
                    FOR grant_row IN
                        SELECT (aclexplode(array(SELECT jsonb_array_elements_text(item.value -> 'acl'))::aclitem[])).*
                    LOOP
                        PERFORM dl_regrant(item.value ->> 'name', grant_row.grantee, grant_row.privilege_type);
                    END LOOP;
                END IF;
            END LOOP;
            RETURN true;
        END
        $$
        """

    /// Grants `privilege` on `relation` to `grantee` (an `aclexplode` row) again after the
    /// relation was recreated; the owner's own privileges come back by themselves.
    static let regrantFunction = """
        CREATE OR REPLACE FUNCTION dl_regrant(relation text, grantee oid, privilege text) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
            -- The owner's own privileges come back by themselves.
            IF grantee = (SELECT relowner FROM pg_class WHERE oid = relation::regclass) THEN
                RETURN;
            END IF;
            EXECUTE format('GRANT %s ON %s TO %s', privilege, relation,
                           CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE grantee::regrole::text END);
        END
        $$
        """

    /// Creates the partition of `tbl` for `[from, to)`, named `<tbl>_pYYYYMMDD` after the UTC
    /// date of `from`, moving the default partition's rows of that range into it (PostgreSQL
    /// refuses a new partition while the default one holds rows of its range). Returns the rows
    /// moved, or NULL when the partition exists. The caller bounds its lock wait.
    static let createPartitionFunction = """
        CREATE OR REPLACE FUNCTION dl_create_window_partition(tbl text, range_from timestamptz, range_to timestamptz)
        RETURNS bigint
        LANGUAGE plpgsql AS $$
        DECLARE
            part text := tbl || '_p' || to_char(range_from AT TIME ZONE 'UTC', 'YYYYMMDD');
            moved bigint;
        BEGIN
            IF EXISTS (SELECT FROM pg_class WHERE relname = part
                       AND relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = tbl::regclass)) THEN
                RETURN NULL;
            END IF;
            EXECUTE format(
                'CREATE TEMP TABLE dl_moving_rows ON COMMIT DROP AS '
                'WITH gone AS (DELETE FROM %I WHERE window_start >= %L AND window_start < %L RETURNING *) '
                'SELECT * FROM gone', tbl || '_default', range_from, range_to);
            GET DIAGNOSTICS moved = ROW_COUNT;
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                           part, tbl, range_from, range_to);
            EXECUTE format('INSERT INTO %I SELECT * FROM dl_moving_rows', tbl);
            DROP TABLE dl_moving_rows;
            RETURN moved;
        END
        $$
        """

    /// The range partitions of `tbl` (not the default one) with their bounds.
    static let partitionsFunction = """
        CREATE OR REPLACE FUNCTION dl_window_partitions(tbl text)
        RETURNS TABLE (name text, range_from timestamptz, range_to timestamptz)
        LANGUAGE sql STABLE AS $$
            SELECT c.relname::text,
                   (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\)'))[1]::timestamptz,
                   (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = tbl::regclass AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
            ORDER BY 2
        $$
        """
}
