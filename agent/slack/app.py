"""``siliconomics slack``: run the bot (Socket Mode by default, ``--http`` for the Events API).

Environment (through :func:`agent.settings.load_settings`): ``SLACK_BOT_TOKEN`` always;
``SLACK_APP_TOKEN`` for Socket Mode; ``SLACK_SIGNING_SECRET`` for ``--http`` (every request's
signature and timestamp are verified on the raw body before anything parses it; a bad or stale one gets
401, a malformed body 400; served by waitress with read timeouts and a bounded worker pool, see
:mod:`agent.slack.server`); ``SLACK_API_URL`` to point
the Web API client elsewhere (an enterprise proxy, or a local fake in tests).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from agent.errors import UsageError

log = logging.getLogger("siliconomics.slack")

DEFAULT_API_URL = "https://slack.com/api/"
from agent.slack.server import EVENTS_PATH  # noqa: E402  (the one place the path is defined)


def manifest_text() -> str:
    """The Slack app manifest shipped with the package (paste it at api.slack.com/apps)."""
    from importlib.resources import files

    return (files("agent.slack") / "manifest.yaml").read_text(encoding="utf-8")


def configure_logging(secrets: list[str], verbose: int) -> None:
    """Log to stderr through a formatter that redacts every secret and token-shaped string."""
    from agent.slack.redact import RedactingFormatter

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets))
    handler._siliconomics = True  # type: ignore[attr-defined]
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if not getattr(h, "_siliconomics", False)] + [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in ("httpx", "httpcore", "openai", "anthropic", "urllib3", "chromadb"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose > 1 else logging.WARNING)


def build_app(settings: Any, *, ask_fn: Any = None, http: bool = True, secrets: list[str] | None = None):
    """A Bolt ``App`` with the bot's listeners, its Web API client pointed at ``SLACK_API_URL``.

    Bolt calls ``auth.test`` here (token verification), so a wrong token fails at start-up.
    """
    from slack_bolt import App
    from slack_sdk import WebClient

    from agent.slack.listeners import Bot, register
    from agent.slack.redact import secret_values

    if ask_fn is None:
        from agent.ask import ask as ask_fn
    base_url = settings.slack_api_url or DEFAULT_API_URL
    client = WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=base_url if base_url.endswith("/") else base_url + "/",
    )
    signing = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    bolt_logger = logging.getLogger("siliconomics.slack.bolt")
    # Bolt also reads SLACK_BOT_TOKEN from the environment and warns that ``client`` wins; it does, by design.
    bolt_logger.addFilter(lambda record: not record.getMessage().startswith("As you gave `client`"))
    app = App(
        client=client,
        signing_secret=signing,
        request_verification_enabled=http,
        process_before_response=False,
        logger=bolt_logger,
    )
    from agent.slack.dedupe import Deduper

    deduper = Deduper(
        path=settings.data_dir / "slack-events.sqlite"
    )  # survives a restart: a replay is not answered twice
    register(
        app,
        Bot(
            ask=ask_fn,
            settings=settings,
            deduper=deduper,
            secrets=secrets if secrets is not None else secret_values(settings),
        ),
    )
    return app


def serve_http(app: Any, host: str, port: int, signing_secret: str, read_timeout_s: float) -> None:
    """Serve ``/slack/events`` with waitress behind the raw-body signature gate (:mod:`agent.slack.server`)."""
    from agent.slack.server import make_server

    server = make_server(app, signing_secret, host, port, read_timeout_s=read_timeout_s)
    log.info("Siliconomics Slack bot listening on http://%s:%d%s", host, int(server.effective_port), EVENTS_PATH)
    try:
        server.run()
    finally:
        server.close()


@click.command("slack")
@click.option(
    "--http",
    "http_mode",
    is_flag=True,
    help=f"Serve the Events API at {EVENTS_PATH} (needs SLACK_SIGNING_SECRET) instead of Socket Mode.",
)
@click.option("--port", default=3000, show_default=True, type=click.IntRange(0, 65535), help="Port for --http.")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Interface for --http (0.0.0.0 to accept from outside)."
)
@click.option(
    "--manifest", is_flag=True, help="Print the Slack app manifest (to paste at api.slack.com/apps) and exit."
)
@click.option("-v", "--verbose", count=True, help="Debug logging (-vv: provider SDKs too). Secrets are redacted.")
def slack_cmd(http_mode: bool, port: int, host: str, manifest: bool, verbose: int) -> None:
    """Run the Slack bot: answers mentions and DMs in threads, and /siliconomics.

    \b
    Socket Mode (default, no public URL):  SLACK_BOT_TOKEN + SLACK_APP_TOKEN
    HTTP (--http --port N):                SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET
    """
    if manifest:
        click.echo(manifest_text(), nl=False)
        return
    from agent.settings import load_settings
    from agent.slack.listeners import failure_reason
    from agent.slack.redact import secret_values

    settings = load_settings()
    missing = [
        name
        for name, value, needed in (
            ("SLACK_BOT_TOKEN", settings.slack_bot_token, True),
            ("SLACK_SIGNING_SECRET", settings.slack_signing_secret, http_mode),
            ("SLACK_APP_TOKEN", settings.slack_app_token, not http_mode),
        )
        if needed and not (value and value.get_secret_value())
    ]
    if missing:
        how = "--http mode" if http_mode else "Socket Mode (or use --http with SLACK_SIGNING_SECRET)"
        raise UsageError(
            f"{' and '.join(missing)} not set: needed for {how}; see 'siliconomics slack --manifest' and the README's Slack section."
        )
    secrets = secret_values(settings)
    configure_logging(secrets, verbose)
    try:
        from agent.ask import ask  # import the agent now so the first question is not slow
    except ImportError as exc:
        raise UsageError(f"the agent is not available: {exc}")
    try:
        app = build_app(settings, ask_fn=ask, http=http_mode, secrets=secrets)
    except Exception as exc:  # auth.test failed: wrong token or unreachable API
        raise UsageError(
            f"Slack refused to start the bot: {failure_reason(exc, secrets)} (check SLACK_BOT_TOKEN and SLACK_API_URL)"
        )
    if http_mode:
        serve_http(app, host, port, settings.slack_signing_secret.get_secret_value(), settings.slack_read_timeout_s)
        return
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    log.info("Siliconomics Slack bot connecting in Socket Mode")
    try:
        SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()
    except Exception as exc:
        raise UsageError(
            f"Socket Mode connection failed: {failure_reason(exc, secrets)} (check SLACK_APP_TOKEN: an app-level token with connections:write)"
        )
