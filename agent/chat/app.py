"""``siliconomics chat``: the terminal conversation, a thin surface over ``agent.ask.ask``.

In a terminal: a welcome screen (model, what the assistant knows, four example questions),
the search index built on first run with a progress bar, then a prompt with history and
completion (:mod:`agent.chat.input`); answers stream when the provider streams and are
rendered by :mod:`agent.render.terminal`; ``/commands`` are handled by :mod:`agent.chat.session`.
Ctrl-C cancels the answer in progress, Ctrl-D or ``/quit`` leaves.

From a pipe (``printf 'q1\\nq2\\n' | siliconomics chat``): one question per line, each answer
printed, exit at end of input (exit 1 if any question failed, else 0).
"""

from __future__ import annotations

import csv
import os
import sys
import threading
from importlib import resources
from pathlib import Path

import click
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from agent.chat.session import chat_dir

#: Questions the welcome screen offers, each answerable offline (no key).
EXAMPLES = (
    "KV cache for Llama 3.1 70B at 32k context, batch 8?",
    "How many concurrent 12k-token requests fit for Llama 3.1 405B fp8 on 8x H100?",
    "What did Dylan say about Trainium2's price per chip?",
    "How fast does Llama 3.1 70B decode on 8x H100 at batch 64?",
)


def _data_file(name: str):
    return resources.files("knowledge") / "data" / name


def knowledge_facts() -> dict[str, object]:
    """What the welcome screen says the assistant knows, counted from the bundled data."""
    from knowledge.transcript import bundled
    from tools.catalog import accelerators, models

    with _data_file("capex.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    actual = [int(r["fiscal_year"]) for r in rows if r.get("is_guidance", "n") != "y"]
    guidance = [int(r["fiscal_year"]) for r in rows if r.get("is_guidance") == "y"]
    return {
        "chapters": len(bundled().chapters),
        "chips": len(accelerators()),
        "models": len(models()),
        "capex_from": min(actual),
        "capex_through": max(actual),
        "guidance_through": max(guidance) if guidance else None,
        "companies": sorted({r["company"] for r in rows}),
    }


def welcome_renderable(model: str, facts: dict[str, object]) -> RenderableType:
    """The first screen: model in use, what the assistant knows, four questions to copy."""
    offline = model == "offline"
    model_line = Text.assemble(("Model: ", "bold"), (model, "bold cyan"))
    if offline:
        model_line.append(" (deterministic planner: no API key and no network needed)", style="dim")
    model_line.append(" · /model to switch", style="dim")
    capex = f"hyperscaler capex history {facts['capex_from']}–{facts['capex_through']}"
    if facts.get("guidance_through"):
        capex += f" (guidance to {facts['guidance_through']})"
    capex += f" for {', '.join(facts['companies'])}"  # type: ignore[arg-type]
    knows = Text.assemble(
        ("Knows: ", "bold"),
        f"the BG2 podcast with Dylan Patel ({facts['chapters']} chapters), ",
        f"{facts['chips']} chips, {facts['models']} models, {capex}.",
    )
    examples = [Text("Try:", style="bold")] + [Text(f"  {q}", style="green") for q in EXAMPLES]
    keys = Text("/help for commands · Tab completes names · Ctrl-C cancels an answer · Ctrl-D leaves", style="dim")
    body = Group(model_line, knows, Text(""), *examples, Text(""), keys)
    return Panel(
        body, title="Siliconomics chat: the economics of AI infrastructure", title_align="left", border_style="cyan"
    )


def _index_stamp(data_dir: Path) -> Path:
    return chat_dir(data_dir) / "index.stamp"


def index_is_current(data_dir: Path) -> bool:
    """Cheap check (no chromadb import): did this data directory's index build from the current data?

    The stamp only decides whether to open the index now with a progress bar or later in the
    background; :func:`knowledge.index.open_store` still checks and rebuilds a stale index.
    """
    from knowledge.index import bundled_hash

    stamp = _index_stamp(data_dir)
    return stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == bundled_hash()


def build_index(console: Console, data_dir: Path, *, interactive: bool) -> None:
    """Open the search index, building it with a progress bar when it is missing or stale."""
    from knowledge.index import bundled_hash, open_store

    if not interactive:
        click.echo("opening the search index (built on first use, a few seconds)…", err=True)
        open_store(data_dir=data_dir)
    else:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("chunks"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("opening the search index", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total, description="building the search index (first run)")

            store = open_store(data_dir=data_dir, progress=progress)
        if store.report.rebuilt:
            console.print(
                Text(f"search index built in {store.report.build_seconds:.0f} s ({store.report.location})", style="dim")
            )
    stamp = _index_stamp(data_dir)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(bundled_hash() + "\n", encoding="utf-8")


def _warm_up() -> None:
    """Import the agent and open the search index while the user reads the welcome screen."""
    try:
        import agent.ask  # noqa: F401
        from knowledge.index import get_store

        get_store()
    except Exception:  # the real error is reported when a question needs it
        pass


def _ask(question: str, **kwargs):
    """``agent.ask.ask``, imported on first use (LangChain takes seconds to import)."""
    from agent.ask import ask

    return ask(question, **kwargs)


@click.command("chat")
@click.option(
    "--model",
    "-m",
    "model",
    default=None,
    metavar="NAME",
    help="offline, openai:<model> or anthropic:<model> [default: SILICONOMICS_MODEL, else a provider "
    "whose key is set, else offline].",
)
@click.option("--resume", is_flag=True, help="Continue the last conversation.")
@click.option("--no-stream", is_flag=True, help="Print each answer when complete instead of streaming it.")
def chat_cmd(model: str | None, resume: bool, no_stream: bool) -> None:
    """Chat with the analyst assistant: figures from calculators, quotes with chapter and time.

    \b
    Examples:
      siliconomics chat
      siliconomics chat --model openai:gpt-4o --resume
      printf 'KV cache for Llama 3.1 70B at 32k, batch 8?\\nand at fp8?\\n' | siliconomics chat
    """
    from agent.chat.input import piped_lines, prompt_session, terminal_lines
    from agent.chat.session import ChatSession, TurnLog, one_line
    from agent.errors import UsageError
    from agent.models import resolve_model_name
    from agent.settings import load_settings
    from tools.errors import InputError

    settings = load_settings()
    try:
        model_name = resolve_model_name(model, settings)
    except InputError as exc:
        raise UsageError(str(exc))
    interactive = sys.stdin.isatty()
    console = Console(highlight=False)
    log = TurnLog(chat_dir(settings.data_dir))
    session = ChatSession(
        console=console,
        asker=_ask,
        log=log,
        model=model_name,
        settings=settings,
        stream=not no_stream,
        error_log=chat_dir(settings.data_dir) / "errors.log",
    )
    last = None
    if resume:
        from agent.store import last_conversation_id

        last = last_conversation_id(settings)
        if last is not None:
            session.resume(last)
    if interactive:
        console.print(welcome_renderable(model_name, knowledge_facts()))
    if not index_is_current(settings.data_dir):
        try:
            build_index(console, settings.data_dir, interactive=interactive)
        except Exception as exc:  # search questions will fail; calculators still work
            session.error(f"search index unavailable ({one_line(exc)}); calculator questions still work")
    if interactive:
        if resume and last is None:
            session.info("no earlier conversation: starting a new one")
        elif resume:
            _show_resumed(session)
        warm = threading.Thread(target=_warm_up, name="warm-up", daemon=True)
        warm.start()
        _loop(session, terminal_lines(prompt_session(settings.data_dir)))
        console.print(Text("bye", style="dim"))
        warm.join(timeout=10)
        _leave(session, 0, warm)
    _loop(session, piped_lines(sys.stdin), echo=True)
    _leave(session, 1 if session.failures else 0)


def _leave(session, code: int, warm: threading.Thread | None = None) -> None:
    """Exit, without waiting for a cancelled answer or a warm-up still running in the background.

    Python would otherwise wait at exit for the thread-pool worker that holds a cancelled
    provider request (up to the request timeout), and tearing down the interpreter under a
    thread still loading chromadb/onnxruntime can crash it. Output is flushed first; all the
    chat writes (history, turns, the agent's store) is already on disk.
    """
    if session.busy_workers or (warm is not None and warm.is_alive()):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def _show_resumed(session) -> None:
    if not session.turns:  # e.g. a conversation started by `siliconomics ask` or Slack
        session.info(f"resumed {session.conversation_id}: the agent remembers it (no answers to show)")
        return
    question, answer = session.turns[-1]
    n = len(session.turns)
    session.info(f"resumed {session.conversation_id} ({n} earlier question{'s' if n > 1 else ''}); the last one:")
    session.console.print(Text(f"› {question}", style="bold"))
    session.show(answer)


def _loop(session, lines, *, echo: bool = False) -> None:
    for line in lines:
        if echo:
            session.console.print(Text(f"› {line}", style="bold"))
        try:
            if not session.handle(line):
                return
        except KeyboardInterrupt:
            session.console.print(Text("cancelled", style="yellow"))
