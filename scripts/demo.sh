#!/usr/bin/env bash
# The end-to-end demo on embedded defaults: an in-process Kafka mock cluster, a throwaway local
# PostgreSQL (or DATABASE_URL), generated traffic with a latency incident, then a per-model
# table read back from PostgreSQL with the SQL histogram functions.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product driftline
exec .build/release/driftline demo "$@"
