#!/usr/bin/env python3
"""Makes the LiteLLM standard-logging-payload fixtures and their expected events.

Runs the `litellm` package offline: mock responses (`mock_response=`) for OpenAI-shaped calls,
httpx MockTransports answering as Anthropic's Messages API (prompt-cache reads and writes) and
Gemini's generateContent (cached content and thinking tokens), and
LiteLLM's in-memory cache for the cache-hit case. A CustomLogger callback captures
`kwargs["standard_logging_object"]` exactly as LiteLLM hands it to its logging integrations.

Writes one `litellm-<case>.json` per payload (compact JSON, the way a Kafka logger would
send it) and `litellm-expected.json`: the LLMEvent each payload should decode into, computed
here by an independent implementation of the mapping in docs/gateways.md.

    pip install litellm==1.110.2
    python3 Tests/Fixtures/Gateway/make_litellm_fixtures.py [--expected-only]
"""

import decimal
import json
import os
import pathlib
import sys
import time

os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"  # no network: the bundled price map

import httpx
import litellm
from litellm.caching.caching import Cache
from litellm.integrations.custom_logger import CustomLogger
from litellm.llms.custom_httpx.http_handler import HTTPHandler

HERE = pathlib.Path(__file__).resolve().parent
captured = []


class Capture(CustomLogger):
    def log_success_event(self, kwargs, response_obj, start_time, end_time):
        captured.append(kwargs["standard_logging_object"])

    def log_failure_event(self, kwargs, response_obj, start_time, end_time):
        captured.append(kwargs["standard_logging_object"])


def drain():
    # LiteLLM runs success callbacks on a thread pool; wait for them.
    for _ in range(100):
        if captured:
            break
        time.sleep(0.05)
    time.sleep(0.2)
    assert len(captured) == 1, f"expected one payload, got {len(captured)}"
    return captured.pop()


PROXY_METADATA = {
    "user_api_key_hash": "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b",
    "user_api_key_alias": "support-bot",
    "user_api_key_team_id": "team-support",
    "user_api_key_team_alias": "Support",
    "user_api_key_org_id": "acme",
    "user_api_key_user_id": "u_owner_17",
    "user_api_key_request_route": "/chat/completions",
    "tags": ["environment:prod", "region:eu-west-1", "beta"],
}


def success_openai_cached_reasoning():
    response = litellm.ModelResponse(
        id="chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
        model="o3-mini-2025-01-31",
        choices=[{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Paris."}}],
        usage=litellm.Usage(
            prompt_tokens=2006,
            completion_tokens=300,
            total_tokens=2306,
            prompt_tokens_details={"cached_tokens": 1920, "audio_tokens": 0},
            completion_tokens_details={
                "reasoning_tokens": 256,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        ),
    )
    litellm.completion(
        model="o3-mini",
        messages=[{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": "Capital of France?"}],
        mock_response=response,
        metadata=PROXY_METADATA,
        user="end-user-42",
    )
    return drain()


def streaming_success():
    stream = litellm.completion(
        model="gpt-4o",
        messages=[{"role": "user", "content": "Say hello in five words."}],
        mock_response="Hello there, how are you?",
        stream=True,
        metadata=PROXY_METADATA,
    )
    for _ in stream:
        pass
    return drain()


def failure_rate_limit():
    try:
        litellm.completion(
            model="gpt-4o",
            messages=[{"role": "user", "content": "hi"}],
            mock_response="litellm.RateLimitError",
            metadata=PROXY_METADATA,
        )
    except litellm.RateLimitError:
        pass
    else:
        raise AssertionError("the mock rate limit error was not raised")
    return drain()


def anthropic_prompt_cache():
    def messages_api(request):
        return httpx.Response(
            200,
            json={
                "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
                "type": "message",
                "role": "assistant",
                "model": "claude-sonnet-4-20250514",
                "content": [{"type": "text", "text": "The policy allows refunds within 30 days."}],
                "stop_reason": "end_turn",
                "stop_sequence": None,
                "usage": {
                    "input_tokens": 21,
                    "cache_creation_input_tokens": 188,
                    "cache_read_input_tokens": 1024,
                    "output_tokens": 393,
                },
            },
        )

    client = HTTPHandler(client=httpx.Client(transport=httpx.MockTransport(messages_api)))
    litellm.completion(
        model="anthropic/claude-sonnet-4-20250514",
        messages=[{"role": "user", "content": "What is the refund policy?"}],
        api_key="sk-ant-test",
        client=client,
        metadata=PROXY_METADATA,
    )
    return drain()


def gemini_thinking_cache():
    def generate_content(request):
        return httpx.Response(
            200,
            json={
                "candidates": [
                    {"content": {"parts": [{"text": "Paris."}], "role": "model"}, "finishReason": "STOP", "index": 0}
                ],
                "usageMetadata": {
                    "promptTokenCount": 1200,
                    "candidatesTokenCount": 40,
                    "totalTokenCount": 1340,
                    "cachedContentTokenCount": 1024,
                    "thoughtsTokenCount": 100,
                },
                "modelVersion": "gemini-2.5-flash",
                "responseId": "mAitaLmkHPPlz7IPvtfUqQ4",
            },
        )

    client = HTTPHandler(client=httpx.Client(transport=httpx.MockTransport(generate_content)))
    litellm.completion(
        model="gemini/gemini-2.5-flash",
        messages=[{"role": "user", "content": "Capital of France?"}],
        api_key="test-key",
        client=client,
    )
    return drain()


def cache_hit():
    # LiteLLM 1.110's cache lookup imports its proxy package (fastapi, soundfile, …) only to ask
    # whether an Anthropic /v1/messages stream should defer its cache-hit callbacks; this is a
    # plain completion, so answer "no" without pulling in the proxy.
    import litellm.caching.caching_handler as caching_handler

    caching_handler._should_defer_streaming_cache_hit_callbacks = lambda *args, **kwargs: False
    litellm.cache = Cache(type="local")
    try:
        arguments = dict(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": "What is 2+2?"}],
            mock_response="4",
            caching=True,
        )
        litellm.completion(**arguments)
        drain()  # the first call fills the cache
        time.sleep(0.05)
        litellm.completion(**arguments)
        return drain()
    finally:
        litellm.cache = None


# MARK: the expected events (docs/gateways.md's mapping, implemented independently)


def micros(seconds):
    # Exact decimal seconds → whole microseconds, rounded toward the past.
    return int((seconds * 1_000_000).to_integral_value(rounding=decimal.ROUND_FLOOR))


def nonempty(value):
    return value if isinstance(value, str) and value != "" else None


def expected_event(p):
    md = p.get("metadata") or {}
    usage = (p.get("response") or {}).get("usage") if isinstance(p.get("response"), dict) else None
    if not usage:
        usage = md.get("usage_object") or {}
    ptd = usage.get("prompt_tokens_details") or {}
    ctd = usage.get("completion_tokens_details") or {}
    hit = p.get("cache_hit") is True
    tokens = {
        "input": int(p["prompt_tokens"]),
        "output": int(p["completion_tokens"]),
        "cached_input": int(ptd.get("cached_tokens") or 0),
        "cache_write": int(usage.get("cache_creation_input_tokens") or ptd.get("cache_creation_tokens") or 0),
        "reasoning": int(ctd.get("reasoning_tokens") or 0),
    }
    if hit:
        tokens = {key: 0 for key in tokens}
    labels = {}
    tags = [t for t in p.get("request_tags") or []]
    environment = ""
    for tag in tags:
        if ":" in tag:
            key, value = tag.split(":", 1)
            if key == "environment":
                environment = environment or value
            elif key and key not in labels:
                labels[key] = value
    if tags:
        labels["request_tags"] = ",".join(tags)
    if nonempty(md.get("user_api_key_hash")):
        labels["api_key_hash"] = md["user_api_key_hash"]
    if nonempty(md.get("user_api_key_user_id")):
        labels["key_user_id"] = md["user_api_key_user_id"]
    if nonempty(md.get("user_api_key_team_alias") or md.get("team_alias")):
        labels["team_alias"] = md.get("user_api_key_team_alias") or md.get("team_alias")
    if nonempty(p.get("session_id")):
        labels["session_id"] = p["session_id"]
    if nonempty(p.get("call_type")):
        labels["call_type"] = p["call_type"]
    if hit:
        labels["cache_hit"] = "true"
    model_group = nonempty(p.get("model_group"))
    deployment = p["model"]
    provider = p.get("custom_llm_provider") or ""
    if provider and deployment.startswith(provider + "/"):
        deployment = deployment[len(provider) + 1 :]
    model = model_group or deployment
    if model_group and model_group != deployment:
        labels["deployment_model"] = deployment
    response = p.get("response")
    response_model = response.get("model") if isinstance(response, dict) else None
    choices = response.get("choices") if isinstance(response, dict) else None
    first_choice = choices[0] if choices else {}
    message = first_choice.get("message") or {}
    if isinstance(response, str):
        response_text = response
    else:
        response_text = message.get("content") if isinstance(message.get("content"), str) else None
    messages = p.get("messages")
    if isinstance(messages, str):
        prompt = messages
    elif messages is None:
        prompt = None
    else:
        prompt = messages  # compared as parsed JSON: the event keeps the JSON text verbatim
    error = p.get("error_information") or {}
    failed = p["status"] == "failure"
    code = error.get("error_code")
    http_status = int(code) if failed and isinstance(code, str) and code.isdigit() and 100 <= int(code) <= 599 else None
    return {
        "request_id": p["id"],
        "trace_id": nonempty(p.get("trace_id")),
        "start_us": micros(p["startTime"]),
        "first_token_us": micros(p["completionStartTime"]) if p.get("stream") is True else None,
        "end_us": micros(p["endTime"]),
        "model": model,
        "provider": p.get("custom_llm_provider") or "",
        "app": md.get("user_api_key_alias") or "",
        "route": md.get("user_api_key_request_route") or "",
        "tenant": md.get("user_api_key_org_id") or "",
        "user": p.get("end_user") or md.get("user_api_key_end_user_id") or "",
        "team": md.get("user_api_key_team_id") or md.get("team_id") or "",
        "environment": environment,
        "model_version": response_model or "",
        "labels": labels,
        "tokens": tokens,
        "status": "error" if failed else "ok",
        "error_type": (nonempty(error.get("error_class")) or nonempty(error.get("normalized_error"))) if failed else None,
        "http_status": http_status,
        "finish_reason": first_choice.get("finish_reason") if not failed else None,
        "prompt": prompt,
        "response": response_text if not failed else None,
    }


CASES = [
    "success-openai-cached-reasoning",
    "streaming-success",
    "failure-rate-limit",
    "anthropic-prompt-cache",
    "gemini-thinking-cache",
    "cache-hit",
]


def write_expected():
    expected = {}
    for name in CASES:
        text = (HERE / f"litellm-{name}.json").read_text(encoding="utf-8")
        # Decimals kept exact for the time conversions.
        expected[name] = expected_event(json.loads(text, parse_float=decimal.Decimal))
    (HERE / "litellm-expected.json").write_text(
        json.dumps(expected, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )


def main():
    if "--expected-only" in sys.argv:
        write_expected()  # after changing the mapping: keep the payloads, recompute the events
        return
    litellm.callbacks = [Capture()]
    cases = {
        "success-openai-cached-reasoning": success_openai_cached_reasoning,
        "streaming-success": streaming_success,
        "failure-rate-limit": failure_rate_limit,
        "anthropic-prompt-cache": anthropic_prompt_cache,
        "gemini-thinking-cache": gemini_thinking_cache,
        "cache-hit": cache_hit,
    }
    assert list(cases) == CASES
    for name, make in cases.items():
        payload = make()
        text = json.dumps(payload, default=str, separators=(",", ":"), ensure_ascii=False)
        (HERE / f"litellm-{name}.json").write_text(text + "\n", encoding="utf-8")
    write_expected()
    print(f"wrote {len(cases)} payloads and litellm-expected.json")


if __name__ == "__main__":
    main()
