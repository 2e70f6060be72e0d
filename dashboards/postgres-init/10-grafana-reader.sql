-- Runs once, when the compose Postgres initialises its data volume (docker-entrypoint-initdb.d),
-- as the superuser, before driftline first migrates.
--
-- Grafana logs in as `grafana`, a member of the read-only role `driftline_reader`. driftline's
-- migrations create that role too and grant it SELECT on the dl_ tables and views; creating it
-- here first lets the login exist from the start. Both are idempotent. No password: the compose
-- Postgres trusts its private network (see compose.yaml); elsewhere give one
-- (ALTER ROLE grafana PASSWORD '…') and put it in the datasource's secureJsonData.
--
-- A volume initialised before this file existed: run it by hand,
--   docker compose exec -T postgres psql -U driftline -d driftline < dashboards/postgres-init/10-grafana-reader.sql
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'driftline_reader') THEN
        CREATE ROLE driftline_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'grafana') THEN
        CREATE ROLE grafana LOGIN;
    END IF;
END
$$;
GRANT driftline_reader TO grafana;
-- When the tables already exist (a volume migrated before), grant on them now.
DO $$
BEGIN
    IF to_regprocedure('dl_grant_reader()') IS NOT NULL THEN
        PERFORM dl_grant_reader();
    END IF;
END
$$;
