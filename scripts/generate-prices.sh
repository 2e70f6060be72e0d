#!/bin/sh
# Regenerates pipelines/prices.yaml, the default price catalogue, from LiteLLM's price map for
# the major providers. Usage: scripts/generate-prices.sh [model_prices_and_context_window.json]
set -eu
cd "$(dirname "$0")/.."
SOURCE="${1:-../shared/data/litellm_model_prices.json}"
swift build --product driftline >/dev/null
"$(swift build --show-bin-path)/driftline" prices import "$SOURCE" \
    --providers openai anthropic gemini xai mistral deepseek > pipelines/prices.yaml
"$(swift build --show-bin-path)/driftline" prices check --catalogue pipelines/prices.yaml --offline | head -1
