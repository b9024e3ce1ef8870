"""The ``siliconomics`` command line.

Calculator subcommands are generated from :mod:`tools.registry` (flags from the input
models). Other commands live in their own modules and are imported only when invoked, so
``siliconomics --help`` stays fast (no LangChain, chromadb or provider SDK at start-up).
"""

from __future__ import annotations

import importlib
import sys
import types
import typing
from typing import Any

import click

from agent.errors import UsageError
from tools.errors import InputError

#: Commands outside the registry: name -> ("module:attribute" of a click command, help), imported lazily.
#: Registry entries with a hand-written command (``search``, ``claims``) name it in ``Tool.cli``.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "index": ("agent.cli.knowledge:index_cmd", "Show (or rebuild) the knowledge index."),
    "ingest": (
        "agent.cli.knowledge:ingest_cmd",
        "Add your documents (.pdf .html .docx .md .txt .vtt .srt) to the knowledge index.",
    ),
    "sources": (
        "agent.cli.sources:sources_cmd",
        "List what the knowledge store holds; 'sources --remove NAME' takes a file out.",
    ),
    "search-eval": ("agent.cli.knowledge:search_eval_cmd", "Retrieval quality: hybrid vs dense-only vs BM25-only."),
    "ask": ("agent.cli.ask:ask_cmd", "Ask a question; figures come from the calculators, quotes from cited sources."),
    "chat": ("agent.chat.app:chat_cmd", "The terminal chat (what `make chat` opens)."),
    "slack": ("agent.slack.app:slack_cmd", "Run the Slack bot (Socket Mode, or --http)."),
    "eval": ("evals.cli:eval_cmd", "Run the eval suites against a model and gate on pass rates."),
    "bench": ("evals.bench:bench_cmd", "Measure start-up, index, search, agent-loop and calculator speed."),
    "mcp": ("agent.mcp.server:mcp_cmd", "Serve the calculators, search and claim checker over MCP."),
    "catalog": (
        "agent.cli.catalog:catalog_cmd",
        "List models, chips and prices; add your own rows (add-model from a config.json).",
    ),
    "conversations": (
        "agent.cli.conversations:conversations_cmd",
        "List stored conversations; 'conversations show ID --json' exports one.",
    ),
}


def _is_list(annotation: Any) -> bool:
    if typing.get_origin(annotation) in (list, tuple):
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_is_list(a) for a in typing.get_args(annotation))
    return False


def _is_bool(annotation: Any) -> bool:
    return annotation is bool or (
        typing.get_origin(annotation) in (typing.Union, types.UnionType) and bool in typing.get_args(annotation)
    )


def options_for(model: type) -> list[click.Parameter]:
    """Click parameters for every field of a pydantic input model (values validated by the model).

    A field whose ``json_schema_extra`` has ``"positional": True`` is an argument, not a flag.
    """
    opts: list[click.Parameter] = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if extra.get("positional"):
            opts.append(click.Argument([name], required=False, default=None, metavar=name.upper()))
            continue
        flag = "--" + str(extra.get("flag", name.replace("_", "-")))
        help_text = info.description or ""
        default = (
            None if info.is_required() else info.get_default(call_default_factory=True)
        )  # a factory's value, not PydanticUndefined
        if default not in (None, [], (), {}):
            help_text += f" [default: {default}]"
        if _is_bool(info.annotation):
            opts.append(click.Option([f"{flag}/--no-{flag[2:]}", name], default=None, help=help_text))
        else:
            opts.append(
                click.Option(
                    [flag, name], multiple=_is_list(info.annotation), default=None, help=help_text, metavar="VALUE"
                )
            )
    return opts


def check_chart_path(chart: str) -> None:
    """Refuse (before computing anything) a chart path that cannot be written: missing or read-only folder."""
    import os
    from pathlib import Path

    folder = Path(chart).expanduser().parent
    if Path(chart).is_dir():
        raise UsageError(f"chart: {chart!r} is a folder; give a file name such as {str(Path(chart) / 'chart.png')!r}.")
    if not folder.is_dir():
        raise UsageError(
            f"chart: the folder {str(folder)!r} does not exist; create it or give another path for the PNG."
        )
    if not os.access(folder, os.W_OK):
        raise UsageError(f"chart: the folder {str(folder)!r} is not writable; give another path for the PNG.")


def calculator_command(tool: Any) -> click.Command:
    """A click command for one registry tool: flags from its input model, table or --json output."""

    def callback(as_json: bool, chart: str | None = None, calibrate: str | None = None, framework: str | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        from agent.cli.calibrate import run_calibration
        from agent.profiles import with_profile_dir

        args = {k: v for k, v in kwargs.items() if v is not None and v != ()}
        args = {k: list(v) if isinstance(v, tuple) else v for k, v in args.items()}
        args = with_profile_dir(tool.input_model, args, trust_given=True)
        if calibrate:
            return run_calibration(calibrate, args, framework, as_json)
        if chart:
            check_chart_path(chart)
        try:
            result = tool.run(args)
        except InputError as exc:
            raise UsageError(str(exc))
        if chart:
            from pathlib import Path

            Path(chart).write_bytes(tool.chart(result))
        if as_json:
            click.echo(result.model_dump_json(indent=2))
            return
        from rich.console import Console
        from rich.text import Text

        from agent.render.values import result_renderable

        console = Console()
        extra = Text(tool.text_chart(result)) if tool.text_chart is not None else None
        console.print(result_renderable(tool.name, result, extra=extra))
        if chart:
            console.print(f"Chart written to {chart}")

    params: list[click.Parameter] = options_for(tool.input_model)
    params.append(click.Option(["--json", "as_json"], is_flag=True, help="Print the result as JSON."))
    if tool.name == "throughput":
        from agent.cli.calibrate import calibration_options

        params += calibration_options()
    if tool.chart is not None:
        params.append(click.Option(["--chart"], default=None, metavar="PATH.png", help="Write a PNG chart."))
    epilog = "Examples:\n\n" + "\n\n".join(f"  {e}" for e in tool.examples) if tool.examples else None
    return click.Command(tool.command, callback=callback, params=params, help=tool.summary, epilog=epilog)


def _lazy(ref: str) -> click.Command:
    module, attr = ref.split(":")
    command: click.Command = getattr(importlib.import_module(module), attr)
    return command


class SiliconomicsCLI(click.Group):
    """Every :data:`agent.toolset.TOOLS` entry plus lazily imported commands."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from agent.toolset import TOOLS

        return sorted({*(t.command for t in TOOLS), *LAZY_COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS:
            return _lazy(LAZY_COMMANDS[name][0])
        from agent.toolset import TOOLS

        for tool in TOOLS:
            if tool.command == name:
                return _lazy(tool.cli[1]) if tool.cli else calculator_command(tool)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List commands from the registry and the lazy table without importing any command module."""
        from agent.toolset import TOOLS

        rows = [(t.command, t.summary) for t in TOOLS] + [(n, h) for n, (_, h) in LAZY_COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(sorted(rows))


@click.group(cls=SiliconomicsCLI, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
def cli() -> None:
    """Siliconomics: the economics of AI infrastructure, computed by calculators and cited from sources."""
    _use_user_catalog()


def _use_user_catalog() -> None:
    """Every command sees the analyst's own catalog rows (``user_catalog.json`` in the settings' data dir)."""
    from agent.settings import load_settings
    from tools.catalog import use_user_catalog

    use_user_catalog(load_settings().data_dir)


def main() -> None:
    try:
        cli.main(prog_name="siliconomics", standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
