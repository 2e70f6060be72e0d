#!/usr/bin/env python3
"""Makes litellm_parity.json: usage records with the cost litellm.cost_per_token gives them.

The oracle for Driftline's cost arithmetic (Tests/DriftlinePipelineTests/LiteLLMParityTests.swift).
LiteLLM runs offline on the price map bundled in its wheel, which must be byte-identical to the
copy Driftline's default catalogue (pipelines/prices.yaml) is generated from; the script checks.

    python3 -m venv /tmp/litellm-venv && /tmp/litellm-venv/bin/pip install litellm==1.110.2
    /tmp/litellm-venv/bin/python Tests/DriftlinePipelineTests/Fixtures/make_litellm_parity.py \
        ../shared/data/litellm_model_prices.json > Tests/DriftlinePipelineTests/Fixtures/litellm_parity.json

Each record keeps the provider's own usage object (Anthropic's input_tokens exclude cache reads
and writes; OpenAI's prompt_tokens include cached tokens; Gemini's thoughts are separate), so
the Swift test also goes through Driftline's per-provider normalisation. LiteLLM is given the
same usage in its own normalised form. Costs are written as the exact decimal value of LiteLLM's
float, rounded to 24 places.
"""
import hashlib
import importlib.metadata
import json
import os
import random
import sys
from decimal import Decimal

os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
import litellm  # noqa: E402
from litellm.types.utils import Usage  # noqa: E402

# (litellm key, provider): chosen to cover plain, cached, 1-hour cache write, reasoning-priced,
# long-context tiers (strict and xAI's inclusive thresholds) and the major providers.
MODELS = [
    ("gpt-4o", "openai"), ("gpt-4o-mini", "openai"), ("gpt-4.1", "openai"), ("gpt-4.1-mini", "openai"),
    ("o3", "openai"), ("o4-mini", "openai"), ("gpt-5", "openai"), ("gpt-5-mini", "openai"),
    ("gpt-5.6", "openai"), ("gpt-6-sol", "openai"),
    ("claude-sonnet-4-5", "anthropic"), ("claude-haiku-4-5", "anthropic"), ("claude-opus-4-6", "anthropic"), ("claude-sonnet-4-6", "anthropic"),
    ("claude-haiku-5-5", "anthropic"),
    ("gemini/gemini-2.5-pro", "gemini"), ("gemini/gemini-2.5-flash", "gemini"),
    ("gemini/gemini-2.5-flash-lite", "gemini"), ("gemini/gemini-3.1-pro-preview", "gemini"),
    ("xai/grok-4.3", "xai"), ("xai/grok-4.20-0309-reasoning", "xai"),
    ("mistral/mistral-large-latest", "mistral"), ("mistral/mistral-small-latest", "mistral"),
]
RECORDS_PER_MODEL = 10


def tier_thresholds(info):
    out = set()
    for key in info:
        if key.startswith("input_cost_per_token_above_") and key.endswith("k_tokens"):
            middle = key[len("input_cost_per_token_above_"):-len("k_tokens")]
            if middle.isdigit():
                out.add(int(middle) * 1000)
    return sorted(out)


def main():
    path = sys.argv[1]
    bundled = os.path.join(os.path.dirname(litellm.__file__), "model_prices_and_context_window_backup.json")
    digest = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
    if digest(path) != digest(bundled):
        sys.exit(f"{path} differs from the price map bundled with litellm {importlib.metadata.version('litellm')}")
    prices = json.load(open(path))
    rng = random.Random(20261201)
    records = []
    for key, provider in MODELS:
        info = prices[key]
        assert info["litellm_provider"] == provider, key
        model = key[len(provider) + 1:] if key.startswith(provider + "/") else key
        thresholds = tier_thresholds(info)
        for i in range(RECORDS_PER_MODEL):
            # Prompt sizes: small, then each tier's boundary (at, one above), then large.
            if thresholds and i < 2 * len(thresholds) + 1 and i > 0:
                t = thresholds[(i - 1) // 2]
                total_input = t + ((i - 1) % 2)
            elif i == 0:
                total_input = rng.randint(1, 400)
            else:
                total_input = rng.randint(50, 300_000 if thresholds else 120_000)
            output = rng.randint(0, 8000)
            cached = rng.randint(0, total_input // 2) if i % 3 != 0 else 0
            reasoning = rng.randint(0, output) if i % 2 == 0 else 0
            record = {"key": key, "provider": provider, "model": model}
            if provider == "anthropic":
                write = rng.randint(0, (total_input - cached) // 2) if i % 4 != 3 else 0
                write_1h = rng.randint(0, write) if i % 2 == 1 else 0
                raw_input = total_input - cached - write
                record["usage"] = {
                    "input_tokens": raw_input, "output_tokens": output, "cache_read_input_tokens": cached,
                    "cache_creation_input_tokens": write,
                    "cache_creation": {"ephemeral_5m_input_tokens": write - write_1h,
                                       "ephemeral_1h_input_tokens": write_1h},
                }
                # LiteLLM's Anthropic adapter puts the per-lifetime split under prompt_tokens_details,
                # where its cost calculator reads it.
                usage = Usage(
                    prompt_tokens=total_input, completion_tokens=output, total_tokens=total_input + output,
                    prompt_tokens_details={
                        "cached_tokens": cached,
                        "cache_creation_token_details": {"ephemeral_5m_input_tokens": write - write_1h,
                                                         "ephemeral_1h_input_tokens": write_1h},
                    },
                    cache_creation_input_tokens=write, cache_read_input_tokens=cached,
                )
            elif provider == "gemini":
                visible = output - reasoning
                record["usage"] = {
                    "promptTokenCount": total_input, "candidatesTokenCount": visible,
                    "cachedContentTokenCount": cached, "thoughtsTokenCount": reasoning,
                }
                usage = Usage(
                    prompt_tokens=total_input, completion_tokens=output, total_tokens=total_input + output,
                    prompt_tokens_details={"cached_tokens": cached},
                    completion_tokens_details={"reasoning_tokens": reasoning},
                )
            else:
                record["usage"] = {
                    "prompt_tokens": total_input, "completion_tokens": output,
                    "prompt_tokens_details": {"cached_tokens": cached},
                    "completion_tokens_details": {"reasoning_tokens": reasoning},
                }
                usage = Usage(
                    prompt_tokens=total_input, completion_tokens=output, total_tokens=total_input + output,
                    prompt_tokens_details={"cached_tokens": cached},
                    completion_tokens_details={"reasoning_tokens": reasoning},
                )
            prompt_cost, completion_cost = litellm.cost_per_token(
                model=key, custom_llm_provider=provider, usage_object=usage)
            q = Decimal("1e-24")
            record["litellm_prompt_cost"] = str(Decimal(prompt_cost).quantize(q))
            record["litellm_completion_cost"] = str(Decimal(completion_cost).quantize(q))
            record["litellm_cost"] = str((Decimal(prompt_cost) + Decimal(completion_cost)).quantize(q))
            records.append(record)
    json.dump({"litellm_version": importlib.metadata.version("litellm"), "price_map_sha256": digest(path), "records": records},
              sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
