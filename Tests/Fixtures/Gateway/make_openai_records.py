#!/usr/bin/env python3
"""Wraps the OpenAI fixtures into `openai_chat` records (docs/gateways.md).

`openai-chat-completion.json` is the chat completion object exactly as OpenAI's API reference
documents it ("The chat completion object"), with the model set to a reasoning model and the
cached and reasoning token counts made non-zero; `openai-error.json` is OpenAI's documented
error body for a 429. A chat.completion carries no request timing, so each record wraps the
object with the start, first-token and end times the caller measured.

    python3 Tests/Fixtures/Gateway/make_openai_records.py
"""

import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
request = {
    "model": "o3-mini",
    "messages": [
        {"role": "system", "content": "You are a support assistant."},
        {"role": "user", "content": "How do I reset my password?"},
    ],
    "user": "u_8841",
    "stream": True,
    "stream_options": {"include_usage": True},
}
completion = json.loads((HERE / "openai-chat-completion.json").read_text())
error = json.loads((HERE / "openai-error.json").read_text())
records = {
    "openai-chat-wrapped.json": {
        "start": "2026-11-25T12:00:00.120Z",
        "first_token": "2026-11-25T12:00:00.410Z",
        "end": "2026-11-25T12:00:01.880Z",
        "app": "support-bot",
        "environment": "prod",
        "labels": {"region": "eu-west-1"},
        "request": request,
        "response": completion,
    },
    "openai-chat-error-wrapped.json": {
        "start": 1764072000120,
        "end": 1764072000245.5,
        "http_status": 429,
        "provider": "azure",
        "request": {**request, "stream": False},
        "response": error,
    },
}
for name, record in records.items():
    (HERE / name).write_text(json.dumps(record, separators=(",", ":")) + "\n")
print(f"wrote {len(records)} records")
