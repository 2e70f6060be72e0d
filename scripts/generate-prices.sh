#!/bin/sh
# Regenerates pipelines/prices.yaml, the default price catalogue, from LiteLLM's price map for
# the major providers and the clouds that resell them (Azure, Azure AI Foundry, Bedrock, Vertex AI;
# LiteLLM's per-family names such as vertex_ai-anthropic_models are imported under the cloud's
# one name). Usage: scripts/generate-prices.sh [model_prices_and_context_window.json]
set -eu
cd "$(dirname "$0")/.."
SOURCE="${1:-../shared/data/litellm_model_prices.json}"
swift build --product driftline >/dev/null
"$(swift build --show-bin-path)/driftline" prices import "$SOURCE" \
    --providers openai anthropic gemini xai mistral deepseek azure azure_ai bedrock vertex_ai > pipelines/prices.yaml
"$(swift build --show-bin-path)/driftline" prices check --catalogue pipelines/prices.yaml --offline | head -1
