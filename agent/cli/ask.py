"""``siliconomics ask "QUESTION"``: one question, one grounded answer.

Exit codes: 0 an answer; 1 the provider failed and there was no fallback; 2 bad usage
(unknown model, missing key, empty question).
"""

from __future__ import annotations

import sys

import click

EXAMPLES = """\
Examples:

  siliconomics ask "How many concurrent 12k-token requests fit for Llama 3.1 405B fp8 on 8x H100?"

  siliconomics ask "what did Dylan say about Trainium2's price per chip?" --json

  siliconomics ask "kv cache for deepseek-v3 at 32k, batch 8" --model openai:gpt-4.1-mini --fallback offline
"""


@click.command("ask", epilog=EXAMPLES)
@click.argument("question", nargs=-1, required=True)
@click.option(
    "-m",
    "--model",
    default=None,
    metavar="MODEL",
    help="offline, openai:<model> or anthropic:<model> [env: SILICONOMICS_MODEL; default: a provider whose key is set, else offline].",
)
@click.option("--json", "as_json", is_flag=True, help="Print the Answer as JSON.")
@click.option("--no-stream", is_flag=True, help="Print the answer once complete instead of token by token.")
@click.option(
    "-v", "--verbose", is_flag=True, help="The whole answer: formula, defaults, assumptions, sources, tool calls."
)
@click.option(
    "--show-tools", is_flag=True, help="With --verbose: each tool's full result table, formula and assumptions."
)
@click.option(
    "--export",
    "export_to",
    default=None,
    metavar="FILE",
    help="Also write the answer to FILE: .md (charts beside it), .csv (a row per scenario) or .xlsx.",
)
@click.option(
    "--fallback",
    default=None,
    metavar="MODEL",
    help="Answer with this model (e.g. offline) when the provider fails [env: SILICONOMICS_FALLBACK].",
)
@click.option(
    "--conversation", "conversation_id", default=None, metavar="ID", help="Continue (or start) a stored conversation."
)
def ask_cmd(
    question: tuple[str, ...],
    model: str | None,
    as_json: bool,
    no_stream: bool,
    verbose: bool,
    show_tools: bool,
    export_to: str | None,
    fallback: str | None,
    conversation_id: str | None,
) -> None:
    """Answer a question with calculator-computed, grounded, cited figures."""
    from rich.console import Console

    from agent.ask import ask
    from agent.errors import UsageError
    from agent.models import PROVIDERS, ProviderError, provider_of, resolve_model_name
    from agent.render.answer import answer_renderable, brief_renderable, unstreamed_tail
    from agent.settings import load_settings
    from tools.errors import InputError

    text = " ".join(question).strip()
    if export_to is not None:
        _check_export(export_to)
    settings = load_settings()
    try:
        name = resolve_model_name(model, settings)
    except InputError as exc:
        raise UsageError(str(exc))
    # the brief answer is read from the whole text, so only --verbose streams it token by token
    stream = (verbose or show_tools) and not (no_stream or as_json) and provider_of(name) in PROVIDERS
    streamed: list[str] = []

    def on_token(piece: str) -> None:
        streamed.append(piece)
        sys.stdout.write(piece)
        sys.stdout.flush()

    try:
        answer = ask(
            text,
            model=name,
            fallback=fallback,
            conversation_id=conversation_id,
            on_token=on_token if stream else None,
            settings=settings,
        )
    except InputError as exc:
        raise UsageError(str(exc))
    except ProviderError as exc:
        if streamed:
            click.echo()
        raise UsageError(str(exc), exit_code=1)
    if export_to is not None:
        _export(export_to, text, answer)
    if as_json:
        click.echo(answer.model_dump_json(indent=2))
        return
    console = Console()
    verbose = verbose or show_tools
    if not verbose and not streamed:
        console.print(brief_renderable(answer, hint="--verbose"))
        return
    tail = unstreamed_tail(answer.answer, "".join(streamed)) if streamed else None
    if streamed:
        click.echo()
    if tail is None:
        console.print(answer_renderable(answer, show_tools=show_tools))
        return
    if tail:
        from rich.markdown import Markdown

        console.print(Markdown(tail))
    console.print(answer_renderable(answer, show_tools=show_tools, include_text=False))


def _check_export(path: str) -> None:
    """Fail before asking when the export file cannot be written (exit 2)."""
    from pathlib import Path

    from agent.errors import UsageError
    from agent.export import FORMATS

    target = Path(path).expanduser()
    if target.suffix.lower() not in FORMATS:
        raise UsageError(f"export: '{target.name}' must end in {', '.join(FORMATS)}.")
    if not target.parent.exists():
        raise UsageError(f"export: folder '{target.parent}' does not exist.")


def _export(path: str, question: str, answer) -> None:
    from agent.errors import UsageError
    from agent.export import export

    try:
        click.echo(export(path, [(question, answer)], model=answer.model), err=True)
    except OSError as exc:
        raise UsageError(f"export: could not write {path}: {exc.strerror or exc}")
