"""A fake Slack Web API on loopback: real HTTP, every call recorded.

Answers the methods the bot uses (``auth.test``, ``chat.postMessage``, ``chat.update``,
``files.getUploadURLExternal``, the upload URL it hands out, ``files.completeUploadExternal``,
``assistant.threads.setStatus``, ``apps.connections.open``). ``fail(method, error, when=...)``
makes a method answer ``{"ok": false, "error": ...}`` for matching calls. It also serves a
failing OpenAI-compatible endpoint at ``/openai/v1/...`` (HTTP 500) for provider-error tests.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse

BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM_ID = "T0000001"


@dataclass
class Call:
    """One request to the fake: the API method (or ``upload`` / ``openai``), its parameters,
    the bearer token it carried, and the raw body."""

    method: str
    params: dict[str, Any]
    token: str | None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def visible_text(params: dict[str, Any]) -> str:
    """The fallback text plus every text in the blocks of a chat.postMessage/update call."""
    blocks = params.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    texts = [params.get("text") or ""]
    for block in blocks:
        if "text" in block:
            texts.append(block["text"]["text"])
        for item in block.get("fields", []) + block.get("elements", []):
            text = item.get("text", "")
            texts.append(text.get("text", "") if isinstance(text, dict) else text)  # a button's label is an object
    return "\n".join(texts)


class FakeSlack:
    """Start with ``with FakeSlack() as slack:``; ``slack.api_url`` goes in ``SLACK_API_URL``."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._ts = 1_800_000_000
        self._files = 0
        self._failures: list[tuple[str, str, Callable[[dict[str, Any]], bool]]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                fake._handle(self)

            do_GET = do_POST

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.api_url = f"http://127.0.0.1:{self.port}/api/"
        self.openai_url = f"http://127.0.0.1:{self.port}/openai/v1"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    def __enter__(self) -> FakeSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- test helpers -----------------------------------------------------------

    def fail(self, method: str, error: str, when: Callable[[dict[str, Any]], bool] = lambda p: True) -> None:
        """Answer ``method`` with ``{"ok": false, "error": error}`` when ``when(params)``."""
        with self._lock:
            self._failures.append((method, error, when))

    def of(self, method: str, **match: Any) -> list[Call]:
        """Recorded calls of ``method`` whose params include ``match``."""
        with self._lock:
            calls = list(self.calls)
        return [c for c in calls if c.method == method and all(c.params.get(k) == v for k, v in match.items())]

    def thread(self, channel: str, thread_ts: str) -> list[str]:
        """What a person sees in a thread: each reply's final text (after updates), blocks included."""
        with self._lock:
            calls = list(self.calls)
        replies: dict[str, str] = {}
        for c in calls:
            if c.params.get("channel") != channel:
                continue
            if c.method == "chat.postMessage" and c.params.get("thread_ts") == thread_ts and c.params.get("_reply_ts"):
                replies[c.params["_reply_ts"]] = visible_text(c.params)
            elif c.method == "chat.update" and c.params.get("ts") in replies:
                replies[c.params["ts"]] = visible_text(c.params)
        return list(replies.values())

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 60.0) -> Any:
        """Poll ``predicate`` every 0.1 s until it returns something truthy; fail after ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out after {timeout} s; calls: {[c.method for c in self.calls]}")

    # -- server -------------------------------------------------------------------

    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        url = urlparse(req.path)
        length = int(req.headers.get("Content-Length") or 0)
        body = req.rfile.read(length) if length else b""
        params: dict[str, Any] = dict(parse_qsl(url.query))
        ctype = req.headers.get("Content-Type", "")
        if url.path.startswith("/upload/"):
            self._record(Call("upload", {"file_id": url.path.rsplit("/", 1)[1], "bytes": len(body)}, None, body))
            self._send(req, 200, f"OK - {len(body)}", raw=True)
            return
        if body and "json" in ctype:
            params.update(json.loads(body))
        elif body and "form" in ctype:
            params.update(parse_qsl(body.decode()))
        auth = req.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth else params.get("token")
        headers = {k.lower(): v for k, v in req.headers.items()}

        if url.path.startswith("/openai/"):
            self._record(Call("openai", params, token, body, headers))
            self._send(req, 500, {"error": {"message": "fake provider outage", "type": "server_error"}})
            return
        method = url.path.removeprefix("/api/")
        call = Call(method, params, token, body, headers)
        with self._lock:
            failure = next((err for m, err, when in self._failures if m == method and when(params)), None)
        if failure:
            self._record(call)
            self._send(req, 200, {"ok": False, "error": failure})
            return
        response = self._respond(method, params)
        call.params["_reply_ts"] = response.get("ts")
        self._record(call)
        self._send(req, 200, response)

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def _next_ts(self) -> str:
        with self._lock:
            self._ts += 1
            return f"{self._ts}.000100"

    def _respond(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://fake.slack.test/",
                "team": "Fake",
                "user": "siliconomics",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            ts = self._next_ts()
            return {
                "ok": True,
                "channel": params.get("channel"),
                "ts": ts,
                "message": {"text": params.get("text"), "ts": ts},
            }
        if method == "chat.update":
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts"), "text": params.get("text")}
        if method == "files.getUploadURLExternal":
            with self._lock:
                self._files += 1
                file_id = f"F{self._files:07d}"
            return {"ok": True, "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = json.loads(params.get("files", "[]"))
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        if method == "assistant.threads.setStatus":
            return {"ok": True}
        if method == "apps.connections.open":
            return {"ok": False, "error": "invalid_auth"}
        return {"ok": False, "error": "unknown_method"}

    @staticmethod
    def _send(req: BaseHTTPRequestHandler, status: int, payload: Any, raw: bool = False) -> None:
        data = (payload if raw else json.dumps(payload)).encode()
        req.send_response(status)
        req.send_header("Content-Type", "text/plain" if raw else "application/json; charset=utf-8")
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        req.wfile.write(data)
