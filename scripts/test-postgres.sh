#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests and prints the environment
# that points the tests at it:  eval "$(scripts/test-postgres.sh start DIR)"
#                               scripts/test-postgres.sh stop DIR
# The outage tests also kill it as a crash would (`kill DIR`: immediate shutdown, no
# checkpoint) and start it again on the same port (`restart DIR`).
# initdb and postgres refuse to run as root, so as root the cluster runs as the
# unprivileged `postgres` user. It listens on loopback only.
set -euo pipefail

cmd=${1:?usage: test-postgres.sh start|stop|kill|restart DIR}
dir=${2:?usage: test-postgres.sh start|stop|kill|restart DIR}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bindir/initdb" ] || { echo "PostgreSQL server binaries not found; apt-get install postgresql" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_server() {
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $1 -k $dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
}

case $cmd in
start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    # Every role is trusted except driftline_password_test, which must give its password
    # (SCRAM): the start-up tests use it to see a wrong password refused.
    hba="$dir/data/pg_hba.conf"
    { echo "host all driftline_password_test 127.0.0.1/32 scram-sha-256"; cat "$hba"; } >"$hba.new"
    as_owner cp "$hba.new" "$hba"; rm -f "$hba.new"
    echo "$port" >"$dir/port"
    start_server "$port"
    echo "export POSTGRES_HOSTNAME=127.0.0.1 POSTGRES_PORT=$port POSTGRES_USER=postgres POSTGRES_DB=postgres POSTGRES_PASSWORD="
    ;;
stop)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    ;;
kill)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null
    ;;
restart)
    start_server "$(cat "$dir/port")"
    ;;
*)
    echo "usage: test-postgres.sh start|stop|kill|restart DIR" >&2; exit 2 ;;
esac
