"""``siliconomics search | index | ingest | search-eval``: the knowledge store from the terminal."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import click

from agent.errors import UsageError
from tools.errors import InputError

_DATA_DIR = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the index and ingested sources live [default: SILICONOMICS_DATA_DIR or the user data directory].",
)


def _open(data_dir: Path | None, rebuild: bool = False) -> Any:
    """Open the index, with a progress bar on stderr when it has to be built."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from knowledge.index import IndexUnavailable, open_store

    err = Console(stderr=True)
    bar = Progress(
        TextColumn("building the knowledge index"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    task = None

    def progress(done: int, total: int) -> None:  # the bar appears only when a build happens
        nonlocal task
        if task is None:
            bar.start()
            task = bar.add_task("build", total=total)
        bar.update(task, completed=done)

    try:
        store = open_store(data_dir=data_dir, rebuild=rebuild, progress=progress)
    except IndexUnavailable as exc:
        raise UsageError(str(exc), exit_code=1)
    finally:
        if task is not None:
            bar.stop()
    for notice in store.report.notices:
        err.print(f"[yellow]note:[/] {notice}")
    if store.report.rebuilt:
        err.print(
            f"[dim]index built in {store.report.build_seconds:.1f} s ({len(store.docs)} chunks) at {store.report.location}[/]"
        )
    return store


def _highlight(text: str, query: str) -> Any:
    """``text`` as rich Text with the words sharing a stem with the query in bold yellow."""
    from rich.text import Text

    from knowledge.bm25 import tokenize

    wanted = set(tokenize(query))
    out = Text(text)
    for m in re.finditer(r"[A-Za-z0-9$][A-Za-z0-9.,$%'-]*", text):
        word = m.group().rstrip(".,'")
        if wanted & set(tokenize(word)):
            out.stylize("bold yellow", m.start(), m.start() + len(word))
    return out


@click.command("search")
@click.argument("query")
@click.option("-k", "k", type=int, default=5, show_default=True, help="How many passages.")
@click.option(
    "--source",
    type=click.Choice(["transcript", "specs", "all"]),
    default="all",
    show_default=True,
    help="Search the transcripts, the chip/model specs, or both.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the passages as a JSON list.")
@_DATA_DIR
def search_cmd(query: str, k: int, source: str, as_json: bool, data_dir: Path | None) -> None:
    """Find passages in the transcript and the spec sheets, with chapter, time and source."""
    from knowledge.search import search

    try:
        search(query, k=k, source=source, store=_EmptyCheck())  # validate before building anything
    except InputError as exc:
        raise UsageError(str(exc))
    from knowledge.search import search_checked

    store = _open(data_dir)
    passages, verdict = search_checked(query, k=k, source=source, store=store)  # none when nothing is close
    if as_json:
        click.echo(json.dumps([p.model_dump() for p in passages], indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.text import Text

    console = Console()
    if verdict.statement:
        console.print(Text(verdict.statement, style="yellow"))
    for rank, p in enumerate(passages, start=1):
        where = " · ".join(x for x in (p.chapter, p.timestamp, p.speaker) if x)
        head = Text(f"{rank}. ", style="bold")
        head.append(p.source, style="bold cyan")
        if where:
            head.append(f"  [{where}]", style="magenta")
        head.append(f"  score {p.score:.4f}  {p.chunk_id}", style="dim")
        console.print(head)
        console.print(_highlight(p.text, query))
        if p.source_urls and not p.timestamp:
            console.print(Text("sources: " + "; ".join(p.source_urls), style="dim"))
        console.print()


class _EmptyCheck:
    """A store with nothing in it: lets ``search`` validate its arguments without opening the index."""

    def dense(self, *a: Any) -> list:
        return []

    def lexical(self, *a: Any) -> list:
        return []

    def best_sentence(self, *a: Any) -> dict:
        return {}

    def has(self, chunk_id: str) -> bool:
        return False


@click.command("index")
@click.option("--rebuild", is_flag=True, help="Rebuild from the bundled data and the ingested files.")
@_DATA_DIR
def index_cmd(rebuild: bool, data_dir: Path | None) -> None:
    """Build the knowledge index if needed and show what is in it."""
    from knowledge.index import bundled_hash
    from knowledge.ingest import ingested

    store = _open(data_dir, rebuild=rebuild)
    meta = store.collection.metadata or {}
    click.echo(f"index:    {store.report.location}")
    click.echo(f"embedder: {meta.get('embedder')}   corpus hash: {bundled_hash()}")
    click.echo(f"chunks:   {len(store.docs)}")
    counts = store.counts()
    for source in sorted(counts, key=lambda s: (s.startswith(("Spec sheet", "Model card")), s)):
        click.echo(f"  {counts[source]:4d}  {source}")
    files = ingested(store.data_dir)
    click.echo(f"ingested files: {len(files)}" + ("" if files else " (add some with: siliconomics ingest PATH...)"))
    for path, entry in sorted(files.items()):
        click.echo(f"  {entry['chunks']:4d}  {path}  sha256 {entry['sha256'][:12]}")


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_DATA_DIR
def ingest_cmd(paths: tuple[Path, ...], data_dir: Path | None) -> None:
    """Add .txt, .md, .vtt, .srt, .pdf, .html or .docx files to the index (unchanged files are skipped)."""
    from knowledge.ingest import ingest, read_source

    try:
        for p in paths:
            read_source(p)
    except InputError as exc:
        raise UsageError(str(exc))
    store = _open(data_dir)
    from agent.cli.sources import chunk_progress

    with chunk_progress("embedding") as progress:
        results = ingest(list(paths), store, progress)
    for notice in store.report.notices:
        click.echo(f"note: {notice}", err=True)
    for r in results:
        click.echo(f"{r.status:9s} {r.chunks:4d} chunks  {r.path}  ({r.title})")


@click.command("search-eval")
@click.option(
    "--suite",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A retrieval suite YAML [default: the bundled one].",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@_DATA_DIR
def search_eval_cmd(suite: str | None, as_json: bool, data_dir: Path | None) -> None:
    """Recall@k and MRR of hybrid vs dense-only vs BM25-only search on the retrieval suite."""
    from knowledge.retrieval_eval import compare

    store = _open(data_dir)
    k, n, results = compare(store=store, path=suite)
    if as_json:
        click.echo(json.dumps({"k": k, "cases": n, "modes": [r.__dict__ for r in results]}, indent=2))
        return
    click.echo(f"retrieval suite: {n} questions, k = {k}")
    click.echo(f"{'mode':8s} {'recall@' + str(k):>9s} {'MRR':>6s}  missed")
    for r in results:
        click.echo(f"{r.mode:8s} {r.recall:9.3f} {r.mrr:6.3f}  {', '.join(r.misses) or '-'}")
    sys.stdout.flush()
