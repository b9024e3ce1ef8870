"""A local fake LLM provider on loopback: OpenAI chat completions and Anthropic messages, with tools.

The real SDKs (through ``langchain-openai`` / ``langchain-anthropic``) talk to it over real
HTTP, streaming (SSE) or not, so the whole provider path runs in tests without a network:

    with FakeProvider([reply(tools=[("memory_fit", {...})]), final_from_tool(...)]) as fake:
        settings = Settings(openai_api_key="test", openai_base_url=fake.openai_base_url)
        ask("...", model="openai:gpt-test", settings=settings)

A step is a :class:`Reply` (text and/or tool calls), a :class:`Fail` (HTTP status, e.g. 429 or
500, with ``retry-after-ms: 1`` so SDK retries are quick), or a function
``request body -> Reply | Fail`` (use :func:`tool_results` to read what the agent sent back).
Every request is recorded in ``.requests`` as ``(path, headers, body)``. When the script runs
out the server answers 400, which the SDKs do not retry.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    text: str = ""
    tools: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    input_tokens: int = 120
    output_tokens: int = 30


@dataclass
class Fail:
    status: int = 500
    message: str = "fake provider failure"


Step = Reply | Fail | Callable[[dict[str, Any]], "Reply | Fail"]


def reply(text: str = "", tools: list[tuple[str, dict[str, Any]]] | None = None) -> Reply:
    return Reply(text=text, tools=list(tools or []))


def tool_results(body: dict[str, Any]) -> list[Any]:
    """The tool results (parsed JSON) in a request body, OpenAI or Anthropic format, in order."""
    out: list[Any] = []
    for message in body.get("messages", []):
        if message.get("role") == "tool":
            out.append(_loads(message.get("content")))
        content = message.get("content")
        if message.get("role") == "user" and isinstance(content, list):
            for block in content:
                if isinstance(block, dict) and block.get("type") == "tool_result":
                    inner = block.get("content")
                    if isinstance(inner, list):
                        inner = "".join(b.get("text", "") for b in inner if isinstance(b, dict))
                    out.append(_loads(inner))
    return out


def _loads(text: Any) -> Any:
    if isinstance(text, list):
        text = "".join(b.get("text", "") for b in text if isinstance(b, dict))
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text


class _Handler(BaseHTTPRequestHandler):
    """Answers POSTs from ``provider``'s script (set on a per-server subclass)."""

    provider: FakeProvider

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        length = int(self.headers.get("content-length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        with self.provider._lock:
            self.provider.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            step = self.provider.script.pop(0) if self.provider.script else Fail(400, "fake provider: script exhausted")
        if callable(step):
            step = step(body)
        if isinstance(step, Fail):
            self._json(step.status, _error_body(self.path, step), {"retry-after-ms": "1"})
        elif self.path.endswith("/chat/completions"):
            self._openai(body, step)
        elif self.path.endswith("/messages"):
            self._anthropic(body, step)
        else:
            self._json(404, {"error": {"message": f"no route {self.path}"}})

    def _json(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _sse(self, events: list[tuple[str | None, dict[str, Any] | str]]) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("connection", "close")
        self.end_headers()
        for name, data in events:
            text = data if isinstance(data, str) else json.dumps(data)
            prefix = f"event: {name}\n" if name else ""
            self.wfile.write(f"{prefix}data: {text}\n\n".encode())
            self.wfile.flush()
        self.close_connection = True

    def _openai(self, body: dict[str, Any], step: Reply) -> None:
        model = body.get("model", "gpt-test")
        calls = [
            {"id": f"call_{i}", "type": "function", "function": {"name": n, "arguments": json.dumps(a)}}
            for i, (n, a) in enumerate(step.tools, 1)
        ]
        finish = "tool_calls" if calls else "stop"
        usage = {
            "prompt_tokens": step.input_tokens,
            "completion_tokens": step.output_tokens,
            "total_tokens": step.input_tokens + step.output_tokens,
        }
        if not body.get("stream"):
            message: dict[str, Any] = {"role": "assistant", "content": step.text or None}
            if calls:
                message["tool_calls"] = calls
            self._json(
                200,
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": 0,
                    "model": model,
                    "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                    "usage": usage,
                },
            )
            return
        base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": model}
        chunks: list[dict[str, Any]] = [
            {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]}
        ]
        for word in _pieces(step.text):
            chunks.append({**base, "choices": [{"index": 0, "delta": {"content": word}, "finish_reason": None}]})
        for i, call in enumerate(calls):
            chunks.append(
                {
                    **base,
                    "choices": [{"index": 0, "delta": {"tool_calls": [{"index": i, **call}]}, "finish_reason": None}],
                }
            )
        chunks.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
        chunks.append({**base, "choices": [], "usage": usage})
        self._sse([(None, c) for c in chunks] + [(None, "[DONE]")])

    def _anthropic(self, body: dict[str, Any], step: Reply) -> None:
        model = body.get("model", "claude-test")
        blocks: list[dict[str, Any]] = []
        if step.text:
            blocks.append({"type": "text", "text": step.text})
        for i, (name, args) in enumerate(step.tools, 1):
            blocks.append({"type": "tool_use", "id": f"toolu_{i}", "name": name, "input": args})
        stop = "tool_use" if step.tools else "end_turn"
        usage = {"input_tokens": step.input_tokens, "output_tokens": step.output_tokens}
        message = {
            "id": "msg_fake",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": blocks,
            "stop_reason": stop,
            "stop_sequence": None,
            "usage": usage,
        }
        if not body.get("stream"):
            self._json(200, message)
            return
        events: list[tuple[str | None, dict[str, Any] | str]] = [
            (
                "message_start",
                {
                    "type": "message_start",
                    "message": {
                        **message,
                        "content": [],
                        "stop_reason": None,
                        "usage": {"input_tokens": step.input_tokens, "output_tokens": 1},
                    },
                },
            ),
        ]
        for index, block in enumerate(blocks):
            if block["type"] == "text":
                events.append(
                    (
                        "content_block_start",
                        {"type": "content_block_start", "index": index, "content_block": {"type": "text", "text": ""}},
                    )
                )
                for word in _pieces(block["text"]):
                    events.append(
                        (
                            "content_block_delta",
                            {
                                "type": "content_block_delta",
                                "index": index,
                                "delta": {"type": "text_delta", "text": word},
                            },
                        )
                    )
            else:
                start = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
                events.append(
                    ("content_block_start", {"type": "content_block_start", "index": index, "content_block": start})
                )
                events.append(
                    (
                        "content_block_delta",
                        {
                            "type": "content_block_delta",
                            "index": index,
                            "delta": {"type": "input_json_delta", "partial_json": json.dumps(block["input"])},
                        },
                    )
                )
            events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
        events.append(
            (
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": stop, "stop_sequence": None},
                    "usage": {"output_tokens": step.output_tokens},
                },
            )
        )
        events.append(("message_stop", {"type": "message_stop"}))
        self._sse(events)


class FakeProvider:
    """Serves scripted replies on ``127.0.0.1:<free port>`` until closed (a context manager)."""

    def __init__(self, script: list[Step]) -> None:
        self.script = list(script)
        self.requests: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        self._lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"provider": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def openai_base_url(self) -> str:
        return f"{self.url}/v1"

    @property
    def anthropic_base_url(self) -> str:
        return self.url

    def __enter__(self) -> FakeProvider:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def paths(self) -> list[str]:
        return [path for path, _, _ in self.requests]


def _pieces(text: str) -> list[str]:
    """The text in a few streamed pieces (split after spaces, so the pieces join back exactly)."""
    words = text.split(" ")
    return [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words) if w or i < len(words) - 1]


def _error_body(path: str, fail: Fail) -> dict[str, Any]:
    if path.endswith("/messages"):
        kind = "rate_limit_error" if fail.status == 429 else "api_error"
        return {"type": "error", "error": {"type": kind, "message": fail.message}}
    return {"error": {"message": fail.message, "type": "server_error", "code": fail.status}}
