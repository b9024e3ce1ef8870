"""``siliconomics ingest``: add the user's transcripts and notes to the index.

Formats: ``.txt`` (a chapter list of ``M:SS Title`` lines makes it a transcript with estimated
timestamps, as for the bundled episode; otherwise plain text), ``.md`` (each heading becomes the
chapter of the chunks under it), ``.vtt`` and ``.srt`` (each chunk keeps the start time of its
first cue).

Every ingested file is copied to ``<data_dir>/sources`` and listed in ``manifest.json`` with its
sha256, so an index rebuild re-creates its chunks and loses nothing. Re-ingesting a file whose
bytes did not change does nothing; a changed file (same path, new hash) replaces its old chunks.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge import loaders
from knowledge import transcript as T
from knowledge.documents import Doc
from tools.errors import InputError

if TYPE_CHECKING:
    from knowledge.index import KnowledgeStore

SUFFIXES = (".txt", ".md", ".vtt", ".srt", *loaders.SUFFIXES)
_CUE_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})\s*-->")
_TAG = re.compile(r"<[^>]+>")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(frozen=True)
class IngestResult:
    """What ingesting one file did: 'added', 'replaced' or 'unchanged', and how many chunks it has."""

    path: str
    status: str
    chunks: int
    title: str


def _sources_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "sources"


def _manifest(data_dir: Path) -> dict[str, dict]:
    path = _sources_dir(data_dir) / "manifest.json"
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_manifest(data_dir: Path, manifest: dict[str, dict]) -> None:
    path = _sources_dir(data_dir) / "manifest.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def read_source(path: Path) -> tuple[bytes, str]:
    """The file's bytes and UTF-8 text, or :class:`InputError` naming the path and what is allowed."""
    if path.suffix.lower() not in SUFFIXES:
        raise InputError("path", f"{str(path)!r} has an unsupported type {path.suffix or '(none)'!r}; allowed: {', '.join(SUFFIXES)}.")
    if not path.is_file():
        raise InputError("path", f"{str(path)!r} is not a readable file.")
    try:
        data = path.read_bytes()
        if path.suffix.lower() in loaders.SUFFIXES:  # PDF/HTML/DOCX -> Markdown with locator headings
            return data, loaders.markdown(path, data)
        text = data.decode("utf-8-sig")
    except OSError as exc:
        raise InputError("path", f"{str(path)!r} cannot be read ({exc.strerror or exc}).") from exc
    except UnicodeDecodeError as exc:
        raise InputError("path", f"{str(path)!r} is not UTF-8 text (byte {exc.start}).") from exc
    if not text.strip():
        raise InputError("path", f"{str(path)!r} is empty.")
    return data, text


def _doc_key(origin: str) -> str:
    return hashlib.sha256(origin.encode()).hexdigest()[:8]


def _plain_chunks(text: str, prefix: str, chapter: str | None, start: int = 0, end: int | None = None) -> list[T.Chunk]:
    return [T.Chunk(f"{prefix}@{s}", text[s:e], s, e, chapter, None) for s, e in T.pack(text, T.sentence_spans(text, start, end))]


def _markdown_chunks(text: str, prefix: str) -> list[T.Chunk]:
    heads = [(m.start(), m.end(), m.group(2)) for m in _HEADING.finditer(text)]
    sections = [(0, heads[0][0] if heads else len(text), None)] if not heads or heads[0][0] > 0 else []
    for i, (_, body_start, title) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        sections.append((body_start, end, title))
    out: list[T.Chunk] = []
    for s, e, title in sections:
        out += _plain_chunks(text, prefix, title, s, e)
    return out


def _cue_chunks(text: str, prefix: str) -> list[T.Chunk]:
    """Chunks of a .vtt/.srt file: cue texts joined, each chunk timed at its first cue."""
    body_parts: list[str] = []
    marks: list[tuple[int, float]] = []  # (offset in body, seconds)
    pos = 0
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [ln for ln in block.split("\n") if ln.strip()]
        for i, line in enumerate(lines):
            m = _CUE_TIME.search(line)
            if m:
                h, mi, s, ms = m.groups()
                secs = int(h or 0) * 3600 + int(mi) * 60 + int(s) + int(ms.ljust(3, "0")) / 1000
                cue = " ".join(_TAG.sub("", ln).strip() for ln in lines[i + 1 :]).strip()
                if cue:
                    marks.append((pos, secs))
                    body_parts.append(cue)
                    pos += len(cue) + 1
                break
    body = " ".join(body_parts)
    out = []
    for s, e in T.pack(body, T.sentence_spans(body)):
        secs = max((t for off, t in marks if off <= s), default=marks[0][1] if marks else None)
        out.append(T.Chunk(f"{prefix}@{s}", body[s:e], s, e, None, secs))
    return out


def docs_for(text: str, suffix: str, title: str, origin: str) -> list[Doc]:
    """Index documents for one file's text."""
    prefix = f"{T.slug(title)}-{_doc_key(origin)}"
    suffix = ".md" if suffix.lower() in loaders.SUFFIXES else suffix.lower()
    if suffix in (".vtt", ".srt"):
        chunks = _cue_chunks(text, prefix)
    elif suffix == ".md":
        chunks = _markdown_chunks(text, prefix)
    else:
        tr = T.parse(text, title=title)
        chunks = T.chunks(tr, prefix) if tr.chapters else _plain_chunks(text, prefix, None)
    return [
        Doc(
            chunk_id=c.chunk_id,
            text=c.text,
            kind="transcript",
            source=title,
            chapter=c.chapter,
            timestamp=T.format_timestamp(c.seconds) if c.seconds is not None else None,
            source_urls=(origin,),
            origin=origin,
        )
        for c in chunks
    ]


def _title(path: Path, text: str) -> str:
    if path.suffix.lower() in (".md", *loaders.SUFFIXES):
        m = _HEADING.search(text)
        if m:
            return m.group(2)
    if path.suffix.lower() == ".txt":
        tr = T.parse(text)
        if tr.chapters and tr.title != "transcript":
            return tr.title
    return path.stem


def ingest(paths: list[Path], store: "KnowledgeStore") -> list[IngestResult]:
    """Add, replace or skip each file (all are validated first: one bad path adds nothing)."""
    data_dir = store.data_dir
    loaded = [(Path(p).resolve(), *read_source(Path(p))) for p in paths]
    manifest = _manifest(data_dir)
    results = []
    for path, data, text in loaded:
        origin = str(path)
        sha = T.content_hash(data)
        entry = manifest.get(origin)
        present = any(d.origin == origin for d in store.docs)
        if entry and entry["sha256"] == sha and present:
            results.append(IngestResult(origin, "unchanged", entry["chunks"], entry["title"]))
            continue
        title = _title(path, text)
        docs = docs_for(text, path.suffix, title, origin)
        replaced = store.delete_origin(origin) > 0
        stored = _sources_dir(data_dir) / f"{sha[:16]}{path.suffix.lower()}"
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_bytes(data)
        if entry and entry.get("stored") != stored.name:
            (_sources_dir(data_dir) / entry["stored"]).unlink(missing_ok=True)
        store.add(docs)
        manifest[origin] = {"sha256": sha, "title": title, "stored": stored.name, "suffix": path.suffix.lower(), "chunks": len(docs)}
        _save_manifest(data_dir, manifest)
        results.append(IngestResult(origin, "replaced" if replaced else "added", len(docs), title))
    return results


def stored_docs(data_dir: Path) -> list[Doc]:
    """Documents for every file ingested so far (from the kept copies), for an index rebuild."""
    out: list[Doc] = []
    for origin, entry in sorted(_manifest(data_dir).items()):
        copy = _sources_dir(data_dir) / entry["stored"]
        if copy.is_file():
            binary = entry["suffix"] in loaders.SUFFIXES
            text = loaders.markdown(copy, copy.read_bytes()) if binary else copy.read_text(encoding="utf-8-sig")
            out += docs_for(text, entry["suffix"], entry["title"], origin)
    return out


def ingested(data_dir: Path) -> dict[str, dict]:
    """The manifest: ingested path -> sha256, title, kept copy, chunk count."""
    return _manifest(data_dir)
