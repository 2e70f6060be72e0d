#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian 12 machine: installs the Debian packages, starts a
# throwaway PostgreSQL on a free loopback port, builds with warnings as errors, runs `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

pgdir=$(mktemp -d /tmp/driftline-test-pg.XXXXXX)
trap 'scripts/test-postgres.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
eval "$(scripts/test-postgres.sh start "$pgdir")"
echo "test PostgreSQL on 127.0.0.1:$POSTGRES_PORT"

export DRIFTLINE_WERROR=1
swift build --build-tests "$@"
swift test --skip-build "$@"

# Last, so that a formatting finding never hides a test result: `swift format lint --strict` over
# our own Swift (generated code under Generated/ is skipped; it also carries swift-format-ignore-file).
find Sources Tests Benchmarks -name '*.swift' -not -path '*/Generated/*' -print0 |
    xargs -0 swift format lint --strict --configuration .swift-format
