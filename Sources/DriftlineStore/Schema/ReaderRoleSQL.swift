/// Migration 12, second part: the read-only role `driftline_reader` for Grafana and analysts.
///
/// A NOLOGIN role: people and tools log in as their own users and are made members of it
/// (`GRANT driftline_reader TO grafana`). `dl_grant_reader()` grants it SELECT on every `dl_`
/// table and view of the schema Driftline migrates, EXECUTE on every `dl_` function and, for the
/// tables, views and functions the migrating user creates later (later migrations), the same by
/// default privileges. It is idempotent and safe to run again.
///
/// Roles belong to the cluster, and the user Driftline migrates with may lack CREATEROLE (a
/// managed database, a least-privilege deployment). Then the migration does not fail: it leaves
/// a WARNING and skips the grants, and an administrator runs `CREATE ROLE driftline_reader
/// NOLOGIN;` and then, as Driftline's user, `SELECT dl_grant_reader();` (docs/sql.md).
enum ReaderRoleSQL {
    static let statements: [String] = [
        """
        CREATE OR REPLACE FUNCTION dl_grant_reader() RETURNS boolean
        LANGUAGE plpgsql AS $$
        DECLARE
            target record;
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'driftline_reader') THEN
                RAISE WARNING 'role driftline_reader does not exist: nothing granted. Create it (CREATE ROLE driftline_reader NOLOGIN) and run SELECT dl_grant_reader() as this user';
                RETURN false;
            END IF;
            BEGIN
                EXECUTE format('GRANT USAGE ON SCHEMA %I TO driftline_reader', current_schema());
            EXCEPTION WHEN insufficient_privilege THEN
                RAISE WARNING 'could not grant USAGE on schema % to driftline_reader: %', current_schema(), SQLERRM;
            END;
            FOR target IN
                SELECT c.oid::regclass AS name FROM pg_class c
                WHERE c.relnamespace = current_schema()::regnamespace AND c.relname LIKE 'dl\\_%'
                  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            LOOP
                EXECUTE format('GRANT SELECT ON %s TO driftline_reader', target.name);
            END LOOP;
            FOR target IN
                SELECT p.oid::regprocedure AS name FROM pg_proc p
                WHERE p.pronamespace = current_schema()::regnamespace AND p.proname LIKE 'dl\\_%'
                  AND p.prokind IN ('f', 'a', 'w')
            LOOP
                EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO driftline_reader', target.name);
            END LOOP;
            EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO driftline_reader',
                           current_schema());
            EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT EXECUTE ON FUNCTIONS TO driftline_reader',
                           current_schema());
            RETURN true;
        END
        $$
        """,
        // Creates the role when it is missing and this user may. Another database of the same
        // cluster migrating at the same moment may create it first: then this transaction's
        // catalog cache still says the role does not exist (a negative entry left by CREATE ROLE's
        // own check) and the grants would fail, so it ends with a serialization failure and the
        // Migrator runs it again in a new transaction, which sees the role.
        """
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'driftline_reader') THEN
                BEGIN
                    CREATE ROLE driftline_reader NOLOGIN;
                EXCEPTION
                    WHEN insufficient_privilege THEN
                        RAISE WARNING 'cannot create role driftline_reader (%): the read-only role is skipped', SQLERRM;
                    WHEN duplicate_object OR unique_violation THEN
                        RAISE EXCEPTION USING ERRCODE = 'serialization_failure',
                            MESSAGE = 'role driftline_reader was created by another migration at the same moment';
                END;
            END IF;
            PERFORM dl_grant_reader();
        END
        $$
        """,
    ]
}
