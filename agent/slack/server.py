"""The Events API over HTTP: a signature gate on the raw body, then Bolt, served by waitress.

Order of a request (:class:`SignedOnly`): only ``POST /slack/events`` is accepted (404/405
otherwise); the body is read up to :data:`MAX_BODY_BYTES` (413 beyond); the signature and
timestamp are checked on those raw bytes (Slack's v0 scheme, ``slack_sdk.signature``) before
anything parses them (401 when wrong, missing or older than 5 minutes); the body must then be
what Slack sends, a JSON object or a form (400 otherwise); only then does Bolt see it. Any
exception while Bolt parses it is a 400, never a 500 with a traceback.

The server is waitress (a production WSGI server): one asyncore loop reads every connection and
a fixed pool of :data:`THREADS` workers runs complete requests only, so a client that sends half
a request holds no worker, and its connection is closed after :data:`READ_TIMEOUT_S` seconds of
silence (``channel_timeout``, checked every ``cleanup_interval``). At most
:data:`CONNECTION_LIMIT` connections are open at once.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

log = logging.getLogger("siliconomics.slack")

EVENTS_PATH = "/slack/events"
#: Largest request body accepted, bytes. Slack's event payloads are a few kB; 1 MB is generous.
MAX_BODY_BYTES = 1_000_000
#: Seconds a connection may stay silent mid-request (or idle) before the server closes it.
READ_TIMEOUT_S = 10.0
#: Worker threads running requests (listeners run on Bolt's own pool after the ack).
THREADS = 8
#: Open connections at most (waitress refuses more until some close).
CONNECTION_LIMIT = 200

StartResponse = Callable[..., Any]


def _reply(start_response: StartResponse, status: str, text: str) -> list[bytes]:
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


def well_formed(body: bytes, content_type: str) -> bool:
    """A body Slack could have sent: a JSON object, or a form (whose ``payload``, if any, is a JSON object)."""
    try:
        text = body.decode("utf-8")
        if content_type.startswith("application/json"):
            return isinstance(json.loads(text), dict)
        form = parse_qs(text, strict_parsing=bool(text), keep_blank_values=True)
        if "payload" in form:
            return isinstance(json.loads(form["payload"][0]), dict)
        return bool(form)
    except ValueError:
        return False


class SignedOnly:
    """WSGI middleware: the checks of the module docstring, then ``app`` (Bolt's WSGI handler)."""

    def __init__(self, app: Callable[..., Iterable[bytes]], signing_secret: str, path: str = EVENTS_PATH) -> None:
        from slack_sdk.signature import SignatureVerifier

        self.app = app
        self.path = path
        self.verifier = SignatureVerifier(signing_secret)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != self.path:
            return _reply(start_response, "404 Not Found", "not found")
        if environ.get("REQUEST_METHOD") != "POST":
            return _reply(start_response, "405 Method Not Allowed", "POST only")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _reply(start_response, "400 Bad Request", "bad Content-Length")
        if length < 0 or length > MAX_BODY_BYTES:
            return _reply(start_response, "413 Payload Too Large", f"body over {MAX_BODY_BYTES} bytes")
        body = environ["wsgi.input"].read(length) if length else b""
        if not self._signed(body, environ):
            log.info("request refused: missing, wrong or stale signature (%d bytes)", len(body))
            return _reply(start_response, "401 Unauthorized", "invalid signature")
        if not well_formed(body, environ.get("CONTENT_TYPE", "")):
            log.info("request refused: signed but malformed body (%d bytes)", len(body))
            return _reply(start_response, "400 Bad Request", "malformed body")
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            return self.app(environ, start_response)
        except Exception as exc:  # a body Bolt cannot parse: the client's fault, one log line
            log.warning("request refused: Bolt could not read it (%s)", type(exc).__name__)
            return _reply(start_response, "400 Bad Request", "malformed body")

    def _signed(self, body: bytes, environ: dict[str, Any]) -> bool:
        """The v0 signature and a timestamp within 5 minutes; a body that is not UTF-8 or a timestamp
        that is not a number cannot be verified, so it is refused too."""
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not (timestamp and signature):
            return False
        try:
            return self.verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
        except (ValueError, OverflowError):  # UnicodeDecodeError is a ValueError
            return False


def make_server(app: Any, signing_secret: str, host: str, port: int, *, read_timeout_s: float = READ_TIMEOUT_S) -> Any:
    """A waitress server for the Bolt ``app`` behind :class:`SignedOnly` (``.effective_port``, ``.run()``, ``.close()``)."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from waitress import create_server

    wsgi = SignedOnly(SlackRequestHandler(app, path=EVENTS_PATH), signing_secret)
    return create_server(
        wsgi,
        host=host,
        port=port,
        threads=THREADS,
        connection_limit=CONNECTION_LIMIT,
        channel_timeout=read_timeout_s,
        cleanup_interval=max(1.0, read_timeout_s / 4),
        max_request_body_size=MAX_BODY_BYTES,
        expose_tracebacks=False,
        ident="siliconomics",
    )
