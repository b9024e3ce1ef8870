"""Bolt listeners: questions (mentions, DMs) and the ``/siliconomics`` slash command.

Flow of a question: Bolt acknowledges the event at once (events are auto-acknowledged; the
listener then runs on Bolt's worker pool). The listener shows a working state (the thread's
"is computing…" status, or, where Slack refuses that, a placeholder message), calls ``ask()``
with the thread as the conversation, posts the answer (replacing the placeholder; extra
messages when it is long) and uploads any chart into the thread. Any failure replaces the placeholder with one
``:warning:`` reply and is logged with its context; the bot keeps serving.

The answer is posted brief, with a "Show work" button (:func:`agent.slack.blocks.brief_message`);
pressing it posts the whole answer (text, key figures, tool calls, sources) in the thread. The
bot keeps the last :data:`WORK_KEPT` answers in memory for that; an older one (or one from
before a restart) is asked again.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from agent.answer import Answer
from agent.slack import blocks
from agent.slack.dedupe import Deduper
from agent.slack.ratelimit import RateLimiter
from agent.slack.redact import redact
from agent.slack.slash import run_slash
from tools.errors import InputError

log = logging.getLogger("siliconomics.slack")

AskFn = Callable[..., Answer]

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
#: Message subtypes that carry a person's question (others: edits, joins, bot posts... are ignored).
_QUESTION_SUBTYPES = {None, "file_share", "thread_broadcast"}
LOADING_MESSAGES = ("Choosing tools…", "Running the calculators…", "Searching the sources…", "Writing the answer…")
#: Answers whose work a "Show work" button can still post (the most recent; a product choice).
WORK_KEPT = 500


def question_text(text: str) -> str:
    """The question in a Slack message: mentions removed, links and escapes undone.

    >>> question_text("<@U123> what about <https://x.io|this> &amp; H100 &lt; 8?")
    'what about this & H100 < 8?'
    """
    text = _MENTION.sub("", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def is_question_event(event: dict[str, Any]) -> bool:
    """A person's new message: not a bot (ourselves included), not an edit or deletion, no other subtype."""
    return (
        event.get("subtype") in _QUESTION_SUBTYPES
        and not event.get("bot_id")
        and not event.get("bot_profile")
        and "edited" not in event
        and bool(event.get("user"))
    )


def failure_reason(exc: BaseException, secrets: list[str]) -> str:
    """One short line saying what went wrong, with secrets removed."""
    from slack_sdk.errors import SlackApiError

    if isinstance(exc, InputError):
        text = str(exc)
    elif isinstance(exc, SlackApiError):
        url = getattr(exc.response, "api_url", "") or ""
        text = f"Slack API error {exc.response.get('error', '?')} ({url.rsplit('/', 1)[-1] or 'call'})"
    else:
        first = (str(exc).strip().splitlines() or [""])[0]
        text = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    text = redact(text, secrets)
    return text if len(text) <= 300 else text[:299] + "…"


@dataclass
class Bot:
    """What the listeners share: the answer function, guards and the secrets to keep out of replies."""

    ask: AskFn
    settings: Any
    deduper: Deduper = field(default_factory=Deduper)
    limiter: RateLimiter | None = None
    secrets: list[str] = field(default_factory=list)
    #: work key -> (channel, thread_ts, question, answer), most recent last
    work: OrderedDict[str, tuple[str, str, str, Answer]] = field(default_factory=OrderedDict)
    _work_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if self.limiter is None:
            self.limiter = RateLimiter(self.settings.slack_rate_limit, self.settings.slack_rate_window_s)

    # -- events -------------------------------------------------------------

    def on_mention(self, event: dict[str, Any], client: WebClient) -> None:
        if is_question_event(event):
            self.answer(event, client)

    def on_message(self, event: dict[str, Any], client: WebClient) -> None:
        if event.get("channel_type") == "im" and is_question_event(event):
            self.answer(event, client)

    def answer(self, event: dict[str, Any], client: WebClient) -> None:
        """Answer one question in its thread (runs on Bolt's worker pool, after the ack)."""
        channel, ts, user = event["channel"], event["ts"], event["user"]
        thread_ts = event.get("thread_ts") or ts
        where = f"channel={channel} thread={thread_ts} user={user}"
        if self.deduper.seen(f"message:{channel}:{ts}"):
            log.info("duplicate delivery of message %s ignored (%s)", ts, where)
            return
        question = question_text(event.get("text", ""))
        if not question:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, **self.help())
            return
        allowed, retry_after = self.limiter.allow(user)  # type: ignore[union-attr]
        if not allowed:
            log.info("rate limited (%s, retry in %.0f s)", where, retry_after)
            message = blocks.rate_limited_message(self.limiter.limit, self.limiter.window_s, retry_after)  # type: ignore[union-attr]
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message)
            return
        log.info("question (%s, %d chars)", where, len(question))
        placeholder_ts: str | None = None
        try:
            if not self._set_status(client, channel, thread_ts):
                placeholder = client.chat_postMessage(channel=channel, thread_ts=thread_ts, **blocks.working_message())
                placeholder_ts = placeholder["ts"]
            reply = self.ask(question, conversation_id=f"slack:{channel}:{thread_ts}", settings=self.settings)
            message = blocks.brief_message(
                reply, self._keep_work(f"{channel}:{ts}", channel, thread_ts, question, reply)
            )
            if placeholder_ts:
                client.chat_update(channel=channel, ts=placeholder_ts, **message)
            else:
                client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message)
            log.info(
                "answered (%s, model=%s, %d tool calls, %.1f s)",
                where,
                reply.model,
                len(reply.tool_calls),
                reply.elapsed_s,
            )
        except Exception as exc:  # any failure: one warning in the thread, the bot keeps serving
            log.exception("answer failed (%s)", where)
            self._warn(client, channel, thread_ts, placeholder_ts, failure_reason(exc, self.secrets))
            return
        for chart in reply.charts:
            try:
                name = os.path.basename(chart)
                client.files_upload_v2(channel=channel, thread_ts=thread_ts, file=chart, filename=name, title=name)
            except Exception as exc:
                log.exception("chart upload failed (%s, %s)", where, chart)
                self._warn(
                    client,
                    channel,
                    thread_ts,
                    None,
                    "the chart could not be uploaded: " + failure_reason(exc, self.secrets),
                )

    def _keep_work(self, key: str, channel: str, thread_ts: str, question: str, answer: Answer) -> str:
        with self._work_lock:
            self.work[key] = (channel, thread_ts, question, answer)
            self.work.move_to_end(key)
            while len(self.work) > WORK_KEPT:
                self.work.popitem(last=False)
        return key

    def on_show_work(self, ack: Callable[..., Any], body: dict[str, Any], client: WebClient) -> None:
        """The "Show work" button: the whole answer, posted in the answer's thread."""
        ack()
        action = next((a for a in body.get("actions", []) if a.get("action_id") == blocks.SHOW_WORK_ACTION), {})
        key = action.get("value", "")
        with self._work_lock:
            kept = self.work.get(key)
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        message = body.get("message") or {}
        thread_ts = message.get("thread_ts") or message.get("ts") or (body.get("container") or {}).get("message_ts")
        try:
            if kept is None:
                log.info("show work for %s: no longer kept", key)
                text = "The work for that answer is no longer kept (the bot keeps the most recent answers); ask again to see it."
                client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text, blocks=[blocks.section(text)])
                return
            channel, thread_ts, question, answer = kept
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, **blocks.work_header(question))
            for part in blocks.answer_messages(answer):
                client.chat_postMessage(channel=channel, thread_ts=thread_ts, **part)
            log.info("work shown (channel=%s thread=%s)", channel, thread_ts)
        except Exception as exc:
            log.exception("show work failed (channel=%s thread=%s)", channel, thread_ts)
            self._warn(client, channel, thread_ts, None, failure_reason(exc, self.secrets))

    def _set_status(self, client: WebClient, channel: str, thread_ts: str) -> bool:
        """Show the "is computing…" status under the thread; False when Slack refuses it.

        ``assistant.threads.setStatus`` takes the ``chat:write`` scope and works in channel
        threads since 2026-03 (docs.slack.dev changelog 2026/03/05); older workspaces or apps
        refuse it, and the caller then posts a placeholder message instead. The status clears
        itself when the reply is posted.
        """
        try:
            client.assistant_threads_setStatus(
                channel_id=channel, thread_ts=thread_ts, status="is computing…", loading_messages=list(LOADING_MESSAGES)
            )
            return True
        except Exception as exc:
            log.debug("assistant status not set, posting a placeholder: %s", exc)
            return False

    def _warn(self, client: WebClient, channel: str, thread_ts: str, placeholder_ts: str | None, reason: str) -> None:
        message = blocks.error_message(reason)
        try:
            if placeholder_ts:
                client.chat_update(channel=channel, ts=placeholder_ts, **message)
            else:
                client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message)
        except Exception:
            if not placeholder_ts:
                log.exception("could not post the warning (channel=%s thread=%s)", channel, thread_ts)
                return
            try:  # the update itself failed: post the warning as a new reply instead
                client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message)
            except Exception:
                log.exception("could not post the warning (channel=%s thread=%s)", channel, thread_ts)

    def help(self) -> blocks.Message:
        from agent.slack.slash import slash_tools

        return blocks.help_message([(t.command, t.summary) for t in slash_tools()])

    # -- slash command --------------------------------------------------------

    def on_slash(self, ack: Callable[..., Any], command: dict[str, Any]) -> None:
        try:
            reply = run_slash(command.get("text", ""))
        except Exception as exc:
            log.exception("slash command failed (user=%s)", command.get("user_id"))
            reply = {"response_type": "ephemeral", **blocks.error_message(failure_reason(exc, self.secrets))}
        ack(**reply)

    # -- retries ----------------------------------------------------------------

    def dedupe_middleware(self, body: dict[str, Any], request: Any, next: Callable[[], Any]) -> Any:
        """Drop a delivery whose ``event_id`` was already handled (Slack retries)."""
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if event_id and self.deduper.seen(f"event:{event_id}"):
            retry = (request.headers.get("x-slack-retry-num") or ["-"])[0]
            log.info("retry %s of event %s ignored (already handled)", retry, event_id)
            return BoltResponse(status=200, body="")
        return next()


def register(app: App, bot: Bot) -> None:
    """Attach the bot's middleware and listeners to a Bolt app."""
    app.middleware(bot.dedupe_middleware)
    app.event("app_mention")(bot.on_mention)
    app.event("message")(bot.on_message)
    app.command("/siliconomics")(bot.on_slash)
    app.action(blocks.SHOW_WORK_ACTION)(bot.on_show_work)
