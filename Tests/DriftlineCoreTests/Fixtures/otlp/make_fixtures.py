#!/usr/bin/env python3
"""Makes the OTLP fixtures with the OpenTelemetry Python SDK.

    pip install opentelemetry-sdk==1.45.2 opentelemetry-exporter-otlp-proto-common==1.45.2
    python3 make_fixtures.py          # writes the files next to this script

batch.pb     a serialized ExportTraceServiceRequest, exactly as the Collector's Kafka exporter
             writes it (encode_spans() is the SDK's OTLP exporter encoder): two resources,
             three traces, GenAI and non-GenAI spans.
batch.json   the same request in the OTLP/JSON mapping (hex ids, lowerCamelCase, int64 as
             strings, enums as integers).
trace-N.pb   one trace per message (key: the hex trace id), span.pb one span per message.
bad-*.pb     span.pb with one field broken: unknown kind / status code, short trace id, long
             span id, end before start.
expected.json the events and the non-LLM span counts Driftline must produce, written down
             by hand from the mapping table in docs/otlp.md (not computed by Driftline).
"""
import base64
import json
import os
import random

from google.protobuf import json_format
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.id_generator import IdGenerator
from opentelemetry.trace import SpanKind, Status, StatusCode, set_span_in_context

HERE = os.path.dirname(os.path.abspath(__file__))
T0 = 1_764_072_000_000_000_000  # 2025-11-25T12:00:00Z in nanoseconds
MS = 1_000_000


class SeededIds(IdGenerator):
    def __init__(self, seed):
        self.random = random.Random(seed)

    def generate_span_id(self):
        return self.random.getrandbits(64)

    def generate_trace_id(self):
        return self.random.getrandbits(128)


exporter = InMemorySpanExporter()


def provider(resource, seed):
    p = TracerProvider(resource=Resource.create(resource), id_generator=SeededIds(seed))
    p.add_span_processor(SimpleSpanProcessor(exporter))
    return p.get_tracer("driftline.fixtures", "1.0")


support = provider({"service.name": "support-bot", "deployment.environment.name": "prod", "service.instance.id": "fixture-a"}, 1)
search = provider({"service.name": "search", "deployment.environment": "staging", "service.instance.id": "fixture-b"}, 2)
expected_events = []


def span(tracer, name, start_ms, end_ns, attributes, kind=SpanKind.CLIENT, parent=None, status=None,
         events=()):
    s = tracer.start_span(name, context=set_span_in_context(parent) if parent else None, kind=kind,
                          attributes=attributes, start_time=T0 + start_ms * MS)
    for event_name, at_ms, event_attributes in events:
        s.add_event(event_name, event_attributes, timestamp=T0 + at_ms * MS)
    if status:
        s.set_status(status)
    s.end(end_time=end_ns)
    return s


def ids(s):
    c = s.get_span_context()
    return {"trace_id": format(c.trace_id, "032x"), "span_id": format(c.span_id, "016x")}


def micros(ns):
    return ns // 1000


# Trace 1: an agent retrieves documents, calls gpt-4o (cached prompt), a tool, then o3-mini.
agent = span(support, "invoke_agent support", 0, T0 + 3000 * MS,
             {"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "support"}, kind=SpanKind.INTERNAL)
span(support, "retrieval kb", 10, T0 + 60 * MS,
     {"gen_ai.operation.name": "retrieval", "gen_ai.data_source.id": "kb",
      "retrieval.documents.0.document.content": "To reset your password, go to Settings > Security.",
      "retrieval.documents.1.document.content": "Passwords expire after 90 days."},
     kind=SpanKind.INTERNAL, parent=agent)
chat = span(support, "chat gpt-4o", 100, T0 + 1987 * MS + 500_999,
            {"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai",
             "gen_ai.request.model": "gpt-4o", "gen_ai.response.model": "gpt-4o-2024-08-06",
             "gen_ai.usage.input_tokens": 1200, "gen_ai.usage.output_tokens": 180,
             "gen_ai.usage.cache_read.input_tokens": 1024, "gen_ai.response.id": "chatcmpl-1",
             "gen_ai.response.finish_reasons": ["stop"], "gen_ai.conversation.id": "conv-42",
             "gen_ai.response.time_to_first_chunk": 0.289, "tenant.id": "acme", "user.id": "u_8841",
             "http.response.status_code": 200},
            parent=agent)
expected_events.append({**ids(chat), "request_id": "chatcmpl-1", "start": micros(T0 + 100 * MS),
                        "first_token": micros(T0 + 389 * MS), "end": micros(T0 + 1987 * MS + 500_999),
                        "model": "gpt-4o", "provider": "openai", "app": "support-bot", "environment": "prod",
                        "tenant": "acme", "user": "u_8841", "model_version": "gpt-4o-2024-08-06",
                        "labels": {"operation": "chat", "conversation_id": "conv-42"},
                        "tokens": {"input": 1200, "output": 180, "cached_input": 1024},
                        "status": "ok", "http_status": 200, "finish_reason": "stop",
                        "context": ["To reset your password, go to Settings > Security.",
                                    "Passwords expire after 90 days."]})
span(support, "execute_tool get_weather", 2000, T0 + 2100 * MS,
     {"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "get_weather"}, kind=SpanKind.INTERNAL,
     parent=agent)
reasoning = span(support, "chat o3-mini", 2200, T0 + 2950 * MS,
                 {"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai",
                  "gen_ai.request.model": "o3-mini", "gen_ai.usage.input_tokens": 2000,
                  "gen_ai.usage.cache_creation.input_tokens": 500, "gen_ai.usage.output_tokens": 900,
                  "gen_ai.usage.reasoning.output_tokens": 600, "gen_ai.response.finish_reasons": ["length", "stop"]},
                 parent=agent, events=[("gen_ai.first_token", 2500, {})])
expected_events.append({**ids(reasoning), "start": micros(T0 + 2200 * MS), "first_token": micros(T0 + 2500 * MS),
                        "end": micros(T0 + 2950 * MS), "model": "o3-mini", "provider": "openai",
                        "app": "support-bot", "environment": "prod", "labels": {"operation": "chat"},
                        "tokens": {"input": 2000, "output": 900, "cache_write": 500, "reasoning": 600},
                        "status": "ok", "finish_reason": "length",
                        "context": ["To reset your password, go to Settings > Security.",
                                    "Passwords expire after 90 days."]})

# Trace 2: a rate-limited Anthropic call (older gen_ai.system) and an embeddings call.
failed = span(support, "chat claude-sonnet-4", 5000, T0 + 5200 * MS,
              {"gen_ai.operation.name": "chat", "gen_ai.system": "anthropic",
               "gen_ai.request.model": "claude-sonnet-4", "error.type": "rate_limit",
               "http.response.status_code": 429},
              status=Status(StatusCode.ERROR, "429 Too Many Requests"))
expected_events.append({**ids(failed), "start": micros(T0 + 5000 * MS), "end": micros(T0 + 5200 * MS),
                        "model": "claude-sonnet-4", "provider": "anthropic", "app": "support-bot",
                        "environment": "prod", "labels": {"operation": "chat"}, "tokens": {},
                        "status": "error", "error_type": "rate_limit", "http_status": 429})
embedding = span(support, "embeddings text-embedding-3-small", 6000, T0 + 6050 * MS,
                 {"gen_ai.operation.name": "embeddings", "gen_ai.provider.name": "openai",
                  "gen_ai.request.model": "text-embedding-3-small", "gen_ai.usage.input_tokens": 42},
                 parent=None)
expected_events.append({**ids(embedding), "start": micros(T0 + 6000 * MS), "end": micros(T0 + 6050 * MS),
                        "model": "text-embedding-3-small", "provider": "openai", "app": "support-bot",
                        "environment": "prod", "labels": {"operation": "embeddings"}, "tokens": {"input": 42},
                        "status": "ok"})

# Trace 3, another service: the instrumentation variants in the wild.
request = span(search, "GET /search", 7000, T0 + 9000 * MS, {"http.route": "/search"}, kind=SpanKind.SERVER)
legacy = span(search, "openai.chat", 7100, T0 + 7900 * MS,
              {"gen_ai.system": "OpenAI", "llm.request.type": "chat", "gen_ai.request.model": "gpt-4o-mini",
               "gen_ai.response.model": "gpt-4o-mini-2024-07-18", "gen_ai.usage.prompt_tokens": 600,
               "gen_ai.usage.completion_tokens": 150, "llm.usage.total_tokens": 750,
               "gen_ai.usage.cache_read_input_tokens": 256, "gen_ai.prompt.0.role": "system",
               "gen_ai.prompt.0.content": "You answer briefly.", "gen_ai.prompt.1.role": "user",
               "gen_ai.prompt.1.content": "What is TTFT?", "gen_ai.completion.0.role": "assistant",
               "gen_ai.completion.0.content": "Time to first token.",
               "gen_ai.completion.0.finish_reason": "stop"},
              parent=request)
expected_events.append({**ids(legacy), "start": micros(T0 + 7100 * MS), "end": micros(T0 + 7900 * MS),
                        "model": "gpt-4o-mini", "provider": "openai", "app": "search", "environment": "staging",
                        "model_version": "gpt-4o-mini-2024-07-18", "labels": {"operation": "chat"},
                        "tokens": {"input": 600, "output": 150, "cached_input": 256}, "status": "ok",
                        "finish_reason": "stop", "prompt": "You answer briefly.\nWhat is TTFT?",
                        "response": "Time to first token."})
vllm = span(search, "llm_request", 8000, T0 + 8700 * MS,
            {"gen_ai.response.model": "llama-3.1-70b", "gen_ai.request.id": "cmpl-9",
             "gen_ai.usage.prompt_tokens": 500, "gen_ai.usage.completion_tokens": 200,
             "gen_ai.latency.time_to_first_token": 0.18, "gen_ai.latency.e2e": 0.65},
            kind=SpanKind.SERVER, parent=request)
expected_events.append({**ids(vllm), "request_id": "cmpl-9", "start": micros(T0 + 8000 * MS),
                        "first_token": micros(T0 + 8180 * MS), "end": micros(T0 + 8650 * MS),
                        "model": "llama-3.1-70b", "provider": "", "app": "search", "environment": "staging",
                        "model_version": "llama-3.1-70b", "labels": {},
                        "tokens": {"input": 500, "output": 200}, "status": "ok"})
openlit = span(search, "chat gpt-4o-mini", 8100, T0 + 8900 * MS,
               {"gen_ai.operation.name": "chat", "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o-mini",
                "gen_ai.usage.input_tokens": 300, "gen_ai.usage.output_tokens": 61,
                "gen_ai.server.time_per_output_token": 0.01, "gen_ai.usage.cost": 0.0012,
                "gen_ai.application_name": "ignored-when-resource-has-service-name"},
               parent=request)
# No TTFT attribute: first token = end - TPOT * (output - 1) = 8900 ms - 10 ms * 60.
expected_events.append({**ids(openlit), "start": micros(T0 + 8100 * MS), "first_token": micros(T0 + 8300 * MS),
                        "end": micros(T0 + 8900 * MS), "model": "gpt-4o-mini", "provider": "openai",
                        "app": "search", "environment": "staging", "labels": {"operation": "chat"},
                        "tokens": {"input": 300, "output": 61}, "status": "ok"})

spans = exporter.get_finished_spans()
non_llm = {"invoke_agent": 1, "retrieval": 1, "execute_tool": 1, "other": 1}


def write(name, request):
    with open(os.path.join(HERE, name + ".pb"), "wb") as out:
        out.write(request.SerializeToString())


def otlp_json(request):
    """The OTLP/JSON mapping: protobuf JSON with integer enums and hex (not base64) ids."""
    tree = json_format.MessageToDict(request, use_integers_for_enums=True)
    for resource_spans in tree.get("resourceSpans", []):
        for scope_spans in resource_spans.get("scopeSpans", []):
            for s in scope_spans.get("spans", []):
                for key in ("traceId", "spanId", "parentSpanId"):
                    if key in s:
                        s[key] = base64.b64decode(s[key]).hex()
    return json.dumps(tree, indent=1, sort_keys=True) + "\n"


batch = encode_spans(spans)
write("batch", batch)
with open(os.path.join(HERE, "batch.json"), "w") as out:
    out.write(otlp_json(batch))
traces = sorted({s.get_span_context().trace_id for s in spans})
keys = []
for index, trace_id in enumerate(traces):
    write(f"trace-{index}", encode_spans([s for s in spans if s.get_span_context().trace_id == trace_id]))
    keys.append(format(trace_id, "032x"))
write("span", encode_spans([s for s in spans if s.name.startswith("embeddings")]))


def broken(name, change):
    """The one-span message with one field broken, for the dead-letter cases."""
    request = encode_spans([s for s in spans if s.name.startswith("embeddings")])
    change(request.resource_spans[0].scope_spans[0].spans[0])
    write("bad-" + name, request)


broken("kind", lambda s: setattr(s, "kind", 9))
broken("status", lambda s: setattr(s.status, "code", 7))
broken("trace-id", lambda s: setattr(s, "trace_id", s.trace_id[:15]))
broken("span-id", lambda s: setattr(s, "span_id", s.span_id + b"\x00"))
broken("end-before-start", lambda s: setattr(s, "end_time_unix_nano", s.start_time_unix_nano - 1))
expected_events.sort(key=lambda e: (e["start"], e["span_id"]))
with open(os.path.join(HERE, "expected.json"), "w") as out:
    json.dump({"events": expected_events, "non_llm_spans": non_llm, "trace_keys": keys}, out, indent=1,
              sort_keys=True)
    out.write("\n")
print(f"{len(spans)} spans, {len(traces)} traces, {len(expected_events)} LLM events")
