"""``siliconomics conversations``: list the stored conversations; ``conversations show ID`` prints one.

The turns come from the agent's conversation store (:mod:`agent.store`): each question with the
answer stored for it, in order. ``--json`` prints ``{"id", "title", "created_at", "updated_at",
"turns": [{"question", "answer"}]}`` (times are Unix seconds), for export.
"""

from __future__ import annotations

import json
import time

import click

from agent.errors import UsageError


def _when(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts))


@click.group("conversations", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.option(
    "--limit", default=50, show_default=True, type=click.IntRange(1, 100_000), help="How many, most recent first."
)
@click.pass_context
def conversations_cmd(ctx: click.Context, as_json: bool, limit: int) -> None:
    """List stored conversations (most recent first); `conversations show ID` prints one."""
    if ctx.invoked_subcommand is not None:
        return
    from agent.store import db_path, open_store

    if not db_path().exists():
        click.echo(
            "[]" if as_json else "no conversations yet (start one with: siliconomics chat, or ask --conversation ID)"
        )
        return
    with open_store() as store:
        rows = [(c, len(store.turns(c.id))) for c in store.conversations(limit=limit)]
    if as_json:
        data = [
            {"id": c.id, "title": c.title, "created_at": c.created_at, "updated_at": c.updated_at, "turns": n}
            for c, n in rows
        ]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("no conversations yet (start one with: siliconomics chat, or ask --conversation ID)")
    for c, n in rows:
        click.echo(f"{c.id:<28s} {_when(c.updated_at)}  {n:3d} turns  {c.title[:70]}")


@conversations_cmd.command("show")
@click.argument("conversation_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the conversation (question and answer per turn) as JSON.")
def show_cmd(conversation_id: str, as_json: bool) -> None:
    """Print one conversation's turns: each question and its answer, in order."""
    from agent.store import db_path, open_store

    if not db_path().exists():
        raise UsageError(f"conversation: unknown id {conversation_id!r}; there are no stored conversations yet.")
    with open_store() as store:
        info = store.get(conversation_id)
        turns = store.turns(conversation_id)
        known = [c.id for c in store.conversations(limit=100_000)]
    if info is None and not turns:
        from rapidfuzz import process

        near = [m[0] for m in process.extract(conversation_id, known, limit=3, score_cutoff=50)]
        hint = f" Did you mean: {', '.join(near)}?" if near else " List them with: siliconomics conversations"
        raise UsageError(f"conversation: unknown id {conversation_id!r}.{hint}")
    data = {
        "id": conversation_id,
        "title": info.title if info else (turns[0]["question"][:200] if turns else ""),
        "created_at": info.created_at if info else None,
        "updated_at": info.updated_at if info else None,
        "turns": turns,
    }
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"conversation {conversation_id}: {len(turns)} turns")
    for i, turn in enumerate(turns, start=1):
        click.echo(f"\n[{i}] Q: {turn['question']}\n\nA: {turn['answer']}")
