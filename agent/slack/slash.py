"""``/siliconomics``: run a registry calculator straight from Slack.

``/siliconomics kv-cache --model llama-3.1-70b --context 32000`` is parsed by the very click
command the CLI builds for that tool (:func:`agent.cli.main.calculator_command`), so the flags,
defaults and validation are the CLI's. ``/siliconomics help`` and ``/siliconomics TOOL --help``
explain. Answers are ephemeral (only the caller sees them) unless ``--in-channel`` is given.
Calculators take milliseconds, so the answer goes back in the acknowledgement itself.
"""

from __future__ import annotations

import shlex
from typing import Any

import click

from agent.slack import blocks
from tools.errors import InputError

IN_CHANNEL_FLAG = "--in-channel"
#: Characters Slack clients substitute while typing (smart quotes, dashes) -> what the CLI expects.
_TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "--", "–": "--"})


def slash_tools() -> tuple[Any, ...]:
    """The registry entries with a generated command (not ``search``/``claims``, which have their own)."""
    from agent.toolset import TOOLS

    return tuple(t for t in TOOLS if not t.cli)


def _reply(message: blocks.Message, in_channel: bool) -> dict[str, Any]:
    return {"response_type": "in_channel" if in_channel else "ephemeral", **message}


def _error(text: str) -> dict[str, Any]:
    message = f":warning: {blocks.escape(text)}"
    return _reply({"text": message, "blocks": [blocks.section(message)]}, in_channel=False)


def help_reply(in_channel: bool = False) -> dict[str, Any]:
    return _reply(blocks.help_message([(t.command, t.summary) for t in slash_tools()]), in_channel)


def run_slash(text: str) -> dict[str, Any]:
    """The ``ack()`` body for ``/siliconomics <text>``: a result, help, or a one-line error."""
    try:
        tokens = shlex.split(text.translate(_TYPOGRAPHY))
    except ValueError as exc:
        return _error(f"could not read the command: {exc}.")
    in_channel = IN_CHANNEL_FLAG in tokens
    tokens = [t for t in tokens if t != IN_CHANNEL_FLAG]
    if not tokens or tokens[0] in ("help", "--help", "-h"):
        return help_reply(in_channel)
    from agent.cli.main import calculator_command

    name, args = tokens[0], tokens[1:]
    tool = next((t for t in slash_tools() if name in (t.name, t.command)), None)
    if tool is None:
        allowed = ", ".join(t.command for t in slash_tools())
        return _error(f"tool: unknown tool {name!r}; allowed: {allowed}. Try `/siliconomics help`.")
    command = calculator_command(tool)
    if "--help" in args or "-h" in args:
        ctx = command.make_context(f"/siliconomics {tool.command}", [], resilient_parsing=True)
        body = f"```\n{blocks.escape(command.get_help(ctx))}\n```"
        return _reply(
            {
                "text": f"/siliconomics {tool.command} --help",
                "blocks": [blocks.section(p) for p in blocks.split_text(body)],
            },
            False,
        )
    try:
        ctx = command.make_context(f"/siliconomics {tool.command}", list(args))
    except click.UsageError as exc:
        return _error(f"{exc.format_message()} (see `/siliconomics {tool.command} --help`)")
    params = {k: v for k, v in ctx.params.items() if k not in ("as_json", "chart") and v is not None and v != ()}
    params = {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}
    try:
        result = tool.run(params)
    except InputError as exc:
        return _error(str(exc))
    read_as = shlex.join([tool.command, *args])
    return _reply(blocks.result_message(tool.command, tool.summary, result, tool.key_fields, read_as), in_channel)
