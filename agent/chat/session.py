"""The terminal chat's state and slash commands, independent of how lines are read.

A :class:`ChatSession` holds the model, the conversation id (the key of the agent's
conversation store, so the agent remembers earlier turns) and the turns shown so far. It
answers a line of input: a question goes to ``ask()``, a ``/command`` is handled here.
The agent's store (:mod:`agent.store`) keeps the messages, so the model sees earlier turns;
the chat also writes each :class:`Answer` to ``<data_dir>/chat/<conversation id>.jsonl`` so
``--resume``, ``/export`` and ``/json`` can show the tool calls and citations of earlier runs.
Nothing here kills the session: every failure becomes one line and the prompt returns.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from rich.console import Console
from rich.text import Text

from agent.answer import Answer
from agent.render.answer import answer_renderable, brief_renderable
from agent.render.terminal import sources_renderable, terminal_charts, tools_renderable

#: Slash commands and their help lines (also the completion list).
COMMANDS: dict[str, str] = {
    "/help": "this list",
    "/model": "/model [NAME]: show or switch the model (offline, openai:<model>, anthropic:<model>)",
    "/reset": "start a new conversation (earlier ones stay in the store)",
    "/work": "the last answer in full: formula, defaults, assumptions, sources, tool calls",
    "/tools": "the last answer's tool calls with their full result tables",
    "/sources": "the last answer's cited passages and catalog sources in full",
    "/json": "the last answer as JSON (the Answer the agent returned)",
    "/export": "/export FILE (.md, .csv or .xlsx): the conversation, or its figures, to take away",
    "/quit": "leave (Ctrl-D does the same)",
}
_ALIASES = {"/exit": "/quit", "/q": "/quit", "/?": "/help"}
#: "export that", "save it to figures.csv": the last answer to a file (default: an .xlsx named after the conversation).
_EXPORT_THAT = re.compile(
    r"^\s*(?:please\s+)?(?:export|save)\s+(?:that|this|it|the last answer)(?:\s+(?:to|as|in(?:to)?)\s+(\S+?))?[.!]?\s*$",
    re.I,
)

T = TypeVar("T")
#: ``ask()``'s signature as the chat calls it (the real one, or a scripted fake in tests).
Asker = Callable[..., Answer]


def chat_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "chat"


@dataclass
class TurnLog:
    """The answers of each conversation as JSON lines (the agent's store keeps the messages)."""

    directory: Path

    def _path(self, conversation_id: str) -> Path:
        return self.directory / f"{conversation_id}.jsonl"

    def append(self, conversation_id: str, question: str, answer: Answer) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        row = {"question": question, "answer": Answer.model_validate(answer).model_dump(mode="json")}
        with self._path(conversation_id).open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")

    def load(self, conversation_id: str) -> list[tuple[str, Answer]]:
        path = self._path(conversation_id)
        if not path.is_file():
            return []
        turns = []
        for line in path.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(ValueError):
                row = json.loads(line)
                turns.append((row["question"], Answer.model_validate(row["answer"])))
        return turns


def new_conversation_id() -> str:
    """A fresh id, in the agent store's format (the store is imported only when a question is asked)."""
    return uuid.uuid4().hex[:12]


def parse_command(line: str) -> tuple[str, str] | None:
    """``"/export a.md"`` -> ``("/export", "a.md")``; None when the line is a question."""
    text = line.strip()
    if not text.startswith("/") or text.startswith("//"):
        return None
    name, _, arg = text.partition(" ")
    name = name.lower()
    return _ALIASES.get(name, name), arg.strip()


@dataclass
class ChatSession:
    """One chat: model, conversation id, turns, and the console it prints to."""

    console: Console
    asker: Asker
    log: TurnLog
    model: str | None = None
    conversation_id: str = field(default_factory=new_conversation_id)
    turns: list[tuple[str, Answer]] = field(default_factory=list)
    settings: Any = None
    stream: bool = True
    #: Where a full traceback goes when a question fails (the screen shows one line).
    error_log: Path | None = None
    failures: int = 0
    hinted: bool = False
    #: Answers cancelled with Ctrl-C whose worker may still be waiting on a provider.
    abandoned: list[threading.Thread] = field(default_factory=list)

    @property
    def busy_workers(self) -> bool:
        return any(t.is_alive() for t in self.abandoned)

    @property
    def last_answer(self) -> Answer | None:
        return self.turns[-1][1] if self.turns else None

    @property
    def model_label(self) -> str:
        if self.model:
            return self.model
        return self.last_answer.model if self.last_answer else "default"

    def resume(self, conversation_id: str) -> None:
        """Continue a stored conversation: same id for the agent's store, earlier turns reloaded."""
        self.conversation_id = conversation_id
        self.turns = self.log.load(conversation_id)

    # -- input --------------------------------------------------------------------------------

    def handle(self, line: str) -> bool:
        """Answer one line of input. Returns False when the chat should end."""
        if not line.strip():
            return True
        command = parse_command(line)
        if command is None:
            export = _EXPORT_THAT.match(line)
            if export and self.turns:  # "export that to figures.xlsx": the last answer, written here
                self.export(
                    export.group(1) or f"siliconomics-{self.conversation_id}-{len(self.turns)}.xlsx", self.turns[-1:]
                )
                return True
            self.ask(line.strip())
            return True
        return self.command(*command)

    def ask(self, question: str) -> Answer | None:
        """Send a question to the agent, stream it if the provider streams, print the answer."""
        try:
            with self._streaming() as on_token:
                answer = run_interruptibly(
                    lambda: self.asker(
                        question,
                        conversation_id=self.conversation_id,
                        model=self.model,
                        on_token=on_token,
                        settings=self.settings,
                    ),
                    self.abandoned,
                )
        except KeyboardInterrupt:
            self.console.print(Text("cancelled", style="yellow"))
            return None
        except Exception as exc:  # errors never kill the session: one line, the prompt returns
            self.failures += 1
            self._log_error(question, exc)
            self.error(one_line(exc) + self._details_hint(exc))
            return None
        self.turns.append((question, answer))
        try:
            self.log.append(self.conversation_id, question, answer)
        except OSError as exc:
            self.error(f"could not save the conversation: {exc}")
        self.show(answer)
        return answer

    def show(self, answer: Answer) -> None:
        """The brief answer (agent.render.answer), text charts when it drew charts, a hint the first time."""
        self.console.print(brief_renderable(answer, hint="/work"))
        for chart in terminal_charts(answer):
            self.console.print(chart)
        if answer.tool_calls and not self.hinted:
            self.hinted = True
            self.info("/work shows the whole answer, /tools the full result tables, /sources every source")

    @contextlib.contextmanager
    def _streaming(self) -> Iterator[Callable[[str], None] | None]:
        """A spinner until the first token, then the tokens as markdown (terminal only; ``stream``).

        The display is transient: the complete answer is printed in its place.
        """
        if not self.console.is_terminal:
            yield None
            return
        from rich.live import Live
        from rich.markdown import Markdown
        from rich.spinner import Spinner

        buffer: list[str] = []
        waiting = Spinner("dots", text=Text("working… (Ctrl-C cancels)", style="dim"))
        with Live(
            waiting, console=self.console, refresh_per_second=10, transient=True, vertical_overflow="crop"
        ) as live:

            def on_token(token: str) -> None:
                if live.is_started:  # an abandoned (cancelled) answer may still stream: ignore it
                    buffer.append(token)
                    live.update(Markdown("".join(buffer)))

            yield on_token if self.stream else None

    def _details_hint(self, exc: BaseException) -> str:
        """Where the traceback is, for failures that are not bad input or a provider fault."""
        from agent.models import ProviderError
        from tools.errors import InputError

        if self.error_log is None or isinstance(exc, (InputError, ProviderError)):
            return ""
        return f" (details in {self.error_log})"

    def _log_error(self, question: str, exc: BaseException) -> None:
        if self.error_log is None:
            return
        with contextlib.suppress(OSError):
            self.error_log.parent.mkdir(parents=True, exist_ok=True)
            with self.error_log.open("a", encoding="utf-8") as fh:
                fh.write(f"--- {question}\n{''.join(traceback.format_exception(exc))}\n")

    def error(self, message: str) -> None:
        """One line (never wrapped, so a script can grep it)."""
        self.console.print(Text(f"error: {message}", style="bold red"), soft_wrap=True)

    def info(self, message: str) -> None:
        self.console.print(Text(message, style="dim"), soft_wrap=True)

    # -- slash commands -----------------------------------------------------------------------

    def command(self, name: str, arg: str) -> bool:
        handler = getattr(self, "cmd_" + name.lstrip("/"), None)
        if name not in COMMANDS or handler is None:
            from rapidfuzz import process

            near = process.extractOne(name, list(COMMANDS))
            hint = f" Did you mean {near[0]}?" if near and near[1] >= 60 else ""
            self.error(f"unknown command {name}.{hint} /help lists them.")
            return True
        return handler(arg) is not False

    def cmd_help(self, arg: str) -> None:
        for name, text in COMMANDS.items():
            self.console.print(Text.assemble((f"{name:<9}", "bold cyan"), " ", text))
        self.console.print(
            Text(
                "Up/Down: history · Ctrl-R: search history · Tab: complete · Ctrl-C: cancel · Ctrl-D: leave",
                style="dim",
            )
        )

    def cmd_model(self, arg: str) -> None:
        if not arg:
            self.console.print(Text.assemble("model: ", (self.model_label, "bold")))
            return
        from agent.models import resolve_model_name
        from tools.errors import InputError

        try:
            name = resolve_model_name(arg, self.settings)
            if name != "offline":
                from agent.models import chat_model

                chat_model(name, settings=self.settings)  # a missing key is said now, not at the next question
        except InputError as exc:
            self.error(f"{exc} The model stays {self.model_label}.")
            return
        self.model = name
        self.console.print(Text.assemble("model set to ", (self.model, "bold"), " (used from the next question)"))

    def cmd_reset(self, arg: str) -> None:
        self.conversation_id = new_conversation_id()
        self.turns = []
        self.info(f"new conversation {self.conversation_id}: earlier questions are forgotten")

    def _need_answer(self) -> Answer | None:
        if self.last_answer is None:
            self.info("no answer yet: ask a question first")
        return self.last_answer

    def cmd_work(self, arg: str) -> None:
        if (answer := self._need_answer()) is not None:
            self.console.print(answer_renderable(answer))

    def cmd_tools(self, arg: str) -> None:
        if (answer := self._need_answer()) is not None:
            self.console.print(tools_renderable(answer))

    def cmd_sources(self, arg: str) -> None:
        if (answer := self._need_answer()) is not None:
            self.console.print(sources_renderable(answer))

    def cmd_json(self, arg: str) -> None:
        if (answer := self._need_answer()) is not None:
            self.console.print_json(answer.model_dump_json())

    def cmd_export(self, arg: str) -> None:
        if not arg:
            self.error("usage: /export FILE (.md, .csv or .xlsx)")
            return
        self.export(arg, self.turns)

    def export(self, target: str, turns: list[tuple[str, Answer]]) -> None:
        """Write ``turns`` to ``target`` (agent.export); one line either way."""
        from agent.export import export
        from tools.errors import InputError

        try:
            self.info(export(target, turns, model=self.model_label, conversation_id=self.conversation_id))
        except InputError as exc:
            self.error(str(exc))
        except OSError as exc:
            self.error(f"could not write {target}: {exc.strerror or exc}")

    def cmd_quit(self, arg: str) -> bool:
        return False


def run_interruptibly(work: Callable[[], T], abandoned: list[threading.Thread] | None = None) -> T:
    """Run ``work`` in a worker thread so Ctrl-C returns at once, whatever the worker is blocked on.

    A KeyboardInterrupt in the main thread is not enough: LangGraph waits for its running node
    (e.g. a provider request) before letting the interrupt through. On Ctrl-C the worker is
    abandoned (a daemon thread: it ends when its request returns or times out, and its result
    is dropped) and ``KeyboardInterrupt`` is raised here. The worker's own exceptions, and its
    KeyboardInterrupt, are re-raised in the caller. Abandoned workers are appended to
    ``abandoned``, so the caller can leave without waiting for them.
    """
    box: dict[str, Any] = {}
    done = threading.Event()

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the caller as is
            box["error"] = exc
        finally:
            done.set()

    worker = threading.Thread(target=target, name="answer", daemon=True)
    worker.start()
    try:
        done.wait()  # interruptible by SIGINT (POSIX lock waits are)
    except KeyboardInterrupt:
        if abandoned is not None:
            abandoned.append(worker)
        raise
    if "error" in box:
        raise box["error"]
    return box["value"]


def one_line(exc: BaseException) -> str:
    """The first line of an exception's message, with its type when the message is empty."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
