"""Fault suite: a hostile HTTP client against the real ``siliconomics slack --http`` on loopback.

Malformed, unsigned, oversized and replayed requests get 4xx (never a 500 or a traceback) and post
nothing; half-sent requests (slow loris) are closed by the server after the read timeout while a
real request is still answered; a signed event replayed after a restart is not answered twice.
"""

from __future__ import annotations

import json
import socket
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "slack"))

from fake_slack_api import FakeSlack  # noqa: E402
from slack_payloads import SIGNING_SECRET, event_body, mention, signed_headers  # noqa: E402
from test_slack_e2e_http import BotProcess, answer_in  # noqa: E402

pytestmark = pytest.mark.slow

READ_TIMEOUT_S = 2.0
SLOW_CLIENTS = 30


@pytest.fixture(scope="module")
def fake():
    with FakeSlack() as slack:
        yield slack


@pytest.fixture(scope="module")
def bot(fake, tmp_path_factory):
    work = tmp_path_factory.mktemp("slack-hostile")
    process = BotProcess(fake, work / "data", work, SILICONOMICS_SLACK_READ_TIMEOUT_S=str(READ_TIMEOUT_S))
    process.start()
    yield process
    process.stop()


def _raw(port: int, request: bytes, timeout: float = 10.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(request)
        chunks = []
        while True:
            try:
                data = s.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not data:
                break
            chunks.append(data)
        return b"".join(chunks)


def _status(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/") else 0


def _http(method: str, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    if "Content-Length" not in headers:
        head += f"Content-Length: {len(body)}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return head.encode() + body


def _signed(body: bytes, content_type: str = "application/json") -> dict[str, str]:
    """Slack's v0 signature over the raw bytes (works for bodies that are not UTF-8)."""
    import hashlib
    import hmac

    ts = str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def _cases() -> list[tuple[str, bytes, set[int]]]:
    good = event_body(mention("kv cache for llama-3.1-8b", channel="CHOSTILE", ts="2000.0001")).encode()
    form = "application/x-www-form-urlencoded"
    odd = b"\xff\xfe not utf-8"
    return [
        (
            "unsigned malformed json",
            _http("POST", "/slack/events", b"{not json", {"Content-Type": "application/json"}),
            {401},
        ),
        ("unsigned binary", _http("POST", "/slack/events", bytes(range(256)), {}), {401}),
        ("wrong signature", _http("POST", "/slack/events", good, signed_headers(good.decode(), secret="nope")), {401}),
        (
            "stale timestamp",
            _http("POST", "/slack/events", good, signed_headers(good.decode(), timestamp=int(time.time()) - 900)),
            {401},
        ),
        ("signature of another body", _http("POST", "/slack/events", good, _signed(b"{}")), {401}),
        ("signed malformed json", _http("POST", "/slack/events", b"{not json", _signed(b"{not json")), {400}),
        ("signed json array", _http("POST", "/slack/events", b"[1, 2]", _signed(b"[1, 2]")), {400}),
        ("signed empty body", _http("POST", "/slack/events", b"", _signed(b"")), {400}),
        ("signed not utf-8", _http("POST", "/slack/events", odd, _signed(odd)), {400, 401}),
        (
            "timestamp not a number",
            _http("POST", "/slack/events", good, {**_signed(good), "X-Slack-Request-Timestamp": "soon"}),
            {401},
        ),
        (
            "signed form, bad payload",
            _http("POST", "/slack/events", b"payload=%7Bnope", _signed(b"payload=%7Bnope", form)),
            {400},
        ),
        ("signed form, garbage", _http("POST", "/slack/events", b"&&==&", _signed(b"&&==&", form)), {400}),
        ("bad content-length", _http("POST", "/slack/events", b"{}", {"Content-Length": "abc"}), {400}),
        ("oversized body", _http("POST", "/slack/events", b"x" * 1_100_000, {}), {413}),
        ("GET", _http("GET", "/slack/events", b"", {}), {405}),
        ("other path", _http("POST", "/admin", b"{}", _signed(b"{}")), {404}),
    ]


def test_hostile_requests_are_held(bot, fake) -> None:
    held, results = 0, []
    cases = _cases()
    for name, request, allowed in cases:
        reply = _raw(bot.port, request)
        ok = _status(reply) in allowed and b"Traceback" not in reply
        held += ok
        results.append((name, _status(reply)))
    print(f"\nSlack hostile requests held: {held} of {len(cases)}  {results}")
    assert held == len(cases), results
    assert bot.proc.poll() is None
    assert "Traceback" not in bot.log_text()
    assert not [c for c in fake.calls if "CHOSTILE" in json.dumps(c.params)]


def test_slow_loris_connections_are_closed_and_real_requests_still_answered(bot, fake) -> None:
    sockets = []
    for _ in range(SLOW_CLIENTS):
        s = socket.create_connection(("127.0.0.1", bot.port), timeout=5)
        s.sendall(b'POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500\r\n\r\n{"partial":')
        sockets.append(s)
    body = event_body(mention("kv cache per token for llama-3.1-70b in bf16", channel="CLORIS", ts="2100.0001"))
    started = time.monotonic()
    assert bot.post(body)[0] == 200  # served while 30 connections hang
    assert time.monotonic() - started < 10
    assert "327,680" in answer_in(fake, "CLORIS", "2100.0001")
    time.sleep(READ_TIMEOUT_S + max(1.0, READ_TIMEOUT_S / 4) + 2)
    closed = 0
    for s in sockets:
        s.settimeout(5)
        try:
            closed += s.recv(1024) == b""  # the server hung up without answering the half request
        except (ConnectionResetError, TimeoutError, OSError):
            closed += 1
        finally:
            s.close()
    print(f"\nslow-loris connections closed by the server: {closed} of {SLOW_CLIENTS}")
    assert closed == SLOW_CLIENTS


def test_replayed_event_after_a_restart_is_not_answered_twice(bot, fake) -> None:
    body = event_body(
        mention("kv cache per token for llama-3.1-8b in bf16", channel="CREPLAY", ts="2200.0001"), event_id="EvREPLAY01"
    )
    headers = signed_headers(body)
    assert bot.post(body, headers)[0] == 200
    answer_in(fake, "CREPLAY", "2200.0001")
    bot.stop()
    bot.start()
    assert bot.post(body, headers)[0] == 200  # same signed bytes, within Slack's 5-minute window
    time.sleep(3)
    assert len(fake.of("chat.postMessage", channel="CREPLAY")) == 1
    assert "event EvREPLAY01 ignored" in bot.log_text()
