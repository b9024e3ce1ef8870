"""``siliconomics sources``: what the knowledge store holds; ``sources --remove NAME`` takes one file out.

Lists the bundled sources (chunk counts) and every ingested file with its path, how it is cited
(``your note: <file name>``), its chunk count and content hash. ``--json`` prints the same as
``{"bundled": {source: chunks}, "ingested": [{path, cited_as, title, chunks, sha256, stored}]}``.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from agent.errors import UsageError
from tools.errors import InputError


@contextmanager
def chunk_progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A ``progress(done, total)`` callback drawing a bar on stderr (only when stderr is a terminal and
    the work takes more than one batch), with the embedding speed in chunks per second."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[speed]}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    state: dict[str, float | int | None] = {"task": None, "t0": time.perf_counter()}

    def progress(done: int, total: int) -> None:
        if state["task"] is None:
            bar.start()
            state["task"] = bar.add_task(label, total=total, speed="")
        speed = done / max(time.perf_counter() - float(state["t0"] or 0), 1e-6)
        bar.update(state["task"], completed=done, total=total, speed=f"{speed:.0f} chunks/s")  # type: ignore[arg-type]

    try:
        yield progress
    finally:
        if state["task"] is not None:
            bar.stop()


@click.command("sources")
@click.option(
    "--remove", "remove_name", default=None, metavar="NAME", help="Take one ingested file out (its path or file name)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the index and ingested sources live [default: SILICONOMICS_DATA_DIR or the user data directory].",
)
def sources_cmd(remove_name: str | None, as_json: bool, data_dir: Path | None) -> None:
    """List what the knowledge store holds (bundled sources and ingested files), or remove one file."""
    from agent.cli.knowledge import _open
    from knowledge.ingest import ingested, remove, source_label

    store = _open(data_dir)
    if remove_name is not None:
        try:
            removed = remove(remove_name, store)
        except InputError as exc:
            raise UsageError(str(exc)) from None
        click.echo(f"removed {removed}")
        return
    files = ingested(store.data_dir)
    bundled: dict[str, int] = {}
    for d in store.docs:
        if d.origin == "bundled":
            bundled[d.source] = bundled.get(d.source, 0) + 1
    rows = [
        {
            "path": path,
            "cited_as": source_label(path, e["suffix"]),
            "title": e["title"],
            "chunks": e["chunks"],
            "sha256": e["sha256"],
            "stored": e["stored"],
        }
        for path, e in sorted(files.items())
    ]
    if as_json:
        click.echo(json.dumps({"bundled": bundled, "ingested": rows}, indent=2, ensure_ascii=False))
        return
    transcripts = {s: n for s, n in bundled.items() if not s.startswith(("Spec sheet", "Model card"))}
    specs = sum(n for s, n in bundled.items() if s not in transcripts)
    click.echo("bundled:")
    for source, n in sorted(transcripts.items()):
        click.echo(f"  {n:4d} chunks  {source}")
    click.echo(f"  {specs:4d} chunks  spec sheets and model cards ({len(bundled) - len(transcripts)} documents)")
    click.echo(f"ingested files: {len(rows)}" + ("" if rows else " (add some with: siliconomics ingest PATH...)"))
    for r in rows:
        click.echo(f"  {r['chunks']:4d} chunks  {r['cited_as']}  {r['path']}  sha256 {r['sha256'][:12]}")
    sys.stdout.flush()
