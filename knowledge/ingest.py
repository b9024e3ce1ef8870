"""``siliconomics ingest``: add the user's transcripts and notes to the index.

Formats: ``.txt`` (a chapter list of ``M:SS Title`` lines makes it a transcript with estimated
timestamps, as for the bundled episode; otherwise plain text), ``.md`` (each heading becomes the
chapter of the chunks under it), ``.vtt`` and ``.srt`` (each chunk keeps the start time of its
first cue). A passage is at most :data:`MAX_PASSAGE_CHARS` characters, whatever the line lengths.
A file larger than ``settings.ingest_max_mb`` (``SILICONOMICS_INGEST_MAX_MB``, default 1 MB) is
refused: a product choice, because embedding is the cost (every chunk, its sentence windows and its
sentences are embedded: about 19 vectors per 160-word chunk). Measured: 1 MB of prose = 1,049 chunks,
424 s of CPU (23 min wall on two shared, busy cores), 850 MB peak memory.

Provenance is set here, never by the file: every chunk's source is ``your note: <file name>``
and its origin the file's absolute path, so a note titled like the bundled podcast is still
cited as the user's note.

Every ingested file is copied to ``<data_dir>/sources`` (with a ``.json`` sidecar naming its
path) and listed in ``manifest.json`` with its sha256, so an index rebuild re-creates its chunks
and loses nothing. Re-ingesting an unchanged file does nothing; a changed file replaces its chunks.

Atomic and safe under concurrency: the whole ingest runs under an exclusive lock on
``sources/.lock`` (other processes wait), re-reading the index and the manifest first. Chunk ids
carry the file's content version; the manifest (written to a temporary file, fsynced, renamed)
says which version of each file is current, and only that version is searchable. So a re-ingest
writes the new chunks, then the manifest, then removes the old chunks: a process killed at any
point leaves the old version or the new one, never a mix, and its leftovers are swept by the
next ingest. A manifest that cannot be read is rebuilt from the kept copies, with a warning.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge import loaders
from knowledge import transcript as T
from knowledge.documents import BUNDLED, Doc
from knowledge.file_lock import exclusive_lock
from tools.errors import InputError

if TYPE_CHECKING:
    from knowledge.index import KnowledgeStore

SUFFIXES = (".txt", ".md", ".vtt", ".srt", *loaders.SUFFIXES)
_CUE_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})\s*-->")
_TAG = re.compile(r"<[^>]+>")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
MANIFEST = "manifest.json"
#: Longest passage, characters (a long line without sentence breaks is cut at spaces). About 2.5x a
#: normal 160-word chunk, so ordinary prose is never cut.
MAX_PASSAGE_CHARS = 2500
#: Characters of the content hash in chunk ids (the version a chunk belongs to).
VERSION_CHARS = 12
#: Seconds an ingest waits for another process's ingest before giving up.
LOCK_WAIT_S = 600.0
_ENTRY_KEYS = {"sha256", "title", "stored", "suffix", "chunks"}

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class IngestResult:
    """What ingesting one file did: 'added', 'replaced' or 'unchanged', and how many chunks it has."""

    path: str
    status: str
    chunks: int
    title: str


def _sources_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "sources"


class ManifestCorrupt(ValueError):
    """``manifest.json`` exists but is not a readable manifest."""


def _manifest_path(data_dir: Path) -> Path:
    return _sources_dir(data_dir) / MANIFEST


def _manifest(data_dir: Path) -> dict[str, dict]:
    """The manifest as stored ({} when there is none); :class:`ManifestCorrupt` when it cannot be read."""
    path = _manifest_path(data_dir)
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ManifestCorrupt(f"{path} cannot be read ({type(exc).__name__})") from exc
    if not isinstance(data, dict) or not all(isinstance(v, dict) and _ENTRY_KEYS <= v.keys() for v in data.values()):
        raise ManifestCorrupt(f"{path} is not a manifest (unexpected content)")
    return data


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a fsynced temporary file and a rename: readers see old or new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)


def _save_manifest(data_dir: Path, manifest: dict[str, dict]) -> None:
    _write_atomic(_manifest_path(data_dir), json.dumps(manifest, indent=1, sort_keys=True).encode())


def _recovered_manifest(data_dir: Path) -> dict[str, dict]:
    """A manifest rebuilt from the kept copies and their sidecars (newest copy per path wins)."""
    folder = _sources_dir(data_dir)
    out: dict[str, dict] = {}
    copies = sorted((p for p in folder.iterdir() if p.suffix in SUFFIXES), key=lambda p: p.stat().st_mtime)
    for copy in copies:
        try:
            side = json.loads(copy.with_suffix(".json").read_text(encoding="utf-8"))
            origin = str(side["origin"])
        except (OSError, ValueError, KeyError, TypeError):
            side, origin = {}, f"recovered:{copy.name}"
        data = copy.read_bytes()
        text = _copy_text(copy, data)
        title = str(side.get("title") or copy.stem)
        sha = T.content_hash(data)
        docs = docs_for(text, copy.suffix, title, origin, sha[:VERSION_CHARS])
        out[origin] = {"sha256": sha, "title": title, "stored": copy.name, "suffix": copy.suffix, "chunks": len(docs)}
    return out


def _copy_text(copy: Path, data: bytes) -> str:
    """The text of a kept copy: PDF/HTML/DOCX through their loader, others as UTF-8."""
    if copy.suffix.lower() in loaders.SUFFIXES:
        return loaders.markdown(copy, data)
    return data.decode("utf-8-sig", errors="replace")


def load_manifest(data_dir: Path, notices: list[str] | None = None) -> dict[str, dict]:
    """The manifest; a corrupt one is set aside (``manifest.json.corrupt-<time>``) and rebuilt from the
    kept copies, with a one-line notice appended to ``notices``. Call under :func:`sources_lock`."""
    try:
        return _manifest(data_dir)
    except ManifestCorrupt as exc:
        path = _manifest_path(data_dir)
        aside = path.with_name(f"{MANIFEST}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        path.replace(aside)
        manifest = _recovered_manifest(data_dir)
        _save_manifest(data_dir, manifest)
        if notices is not None:
            kept = f"the damaged file is kept as {aside.name}"
            notices.append(f"{exc}; rebuilt it from {len(manifest)} kept copies ({kept})")
        return manifest


@contextmanager
def sources_lock(data_dir: Path, wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """Exclusive lock on the ingested sources (manifest, copies, their chunks), across processes."""
    folder = _sources_dir(data_dir)
    busy = f"another ingest has held {folder} for {wait_s:.0f} s; try again."
    with exclusive_lock(folder / ".lock", wait_s, "path", busy):
        yield


def chunk_version(chunk_id: str) -> str:
    """The content version in an ingested chunk's id (``<slug>-<path key>-<version>@<offset>``)."""
    return chunk_id.split("@", 1)[0].rsplit("-", 1)[-1]


def current_versions(data_dir: Path) -> dict[str, str]:
    """Ingested path -> the content version that is searchable ({} when the manifest is unreadable)."""
    try:
        return {origin: e["sha256"][:VERSION_CHARS] for origin, e in _manifest(data_dir).items()}
    except ManifestCorrupt:
        return {}


def max_bytes() -> int:
    """The size limit for one ingested file, bytes (``settings.ingest_max_mb``)."""
    from knowledge.settings import knowledge_settings

    return int(knowledge_settings().ingest_max_mb * 1_000_000)


def read_source(path: Path, limit: int | None = None) -> tuple[bytes, str]:
    """The file's bytes and UTF-8 text, or :class:`InputError` naming the path and what is allowed."""
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(
            "path",
            f"{str(path)!r} has an unsupported type {path.suffix or '(none)'!r}; allowed: {', '.join(SUFFIXES)}.",
        )
    if not path.is_file():
        raise InputError("path", f"{str(path)!r} is not a readable file.")
    limit = max_bytes() if limit is None else limit
    size = path.stat().st_size
    if size > limit:
        raise InputError(
            "path",
            f"{str(path)!r} is {size / 1e6:.1f} MB; the limit is {limit / 1e6:g} MB "
            "(set SILICONOMICS_INGEST_MAX_MB to change it, or split the file).",
        )
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


def bounded(text: str, spans: list[tuple[int, int]], limit: int = MAX_PASSAGE_CHARS) -> list[tuple[int, int]]:
    """``spans`` with each one longer than ``limit`` characters cut at the last space before the limit
    (or at the limit when there is none): no passage is unbounded, whatever the line lengths."""
    out = []
    for s, e in spans:
        while e - s > limit:
            cut = text.rfind(" ", s + limit // 2, s + limit)
            cut = cut if cut > s else s + limit
            out.append((s, cut))
            s = cut
            while s < e and text[s].isspace():
                s += 1
        if e > s:
            out.append((s, e))
    return out


def _plain_chunks(text: str, prefix: str, chapter: str | None, start: int = 0, end: int | None = None) -> list[T.Chunk]:
    spans = bounded(text, T.pack(text, bounded(text, T.sentence_spans(text, start, end))))
    return [T.Chunk(f"{prefix}@{s}", text[s:e], s, e, chapter, None) for s, e in spans]


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
    for s, e in bounded(body, T.pack(body, bounded(body, T.sentence_spans(body)))):
        secs = max((t for off, t in marks if off <= s), default=marks[0][1] if marks else None)
        out.append(T.Chunk(f"{prefix}@{s}", body[s:e], s, e, None, secs))
    return out


def source_label(origin: str, suffix: str) -> str:
    """How an ingested file is named in answers and citations, set by code: 'your note: channel-check.md'."""
    name = origin.rsplit("/", 1)[-1]
    return f"{'your transcript' if suffix.lower() in ('.vtt', '.srt') else 'your note'}: {name}"


def docs_for(text: str, suffix: str, title: str, origin: str, version: str = "") -> list[Doc]:
    """Index documents for one file's text (``version``: the content hash prefix carried in every chunk id)."""
    prefix = f"{T.slug(title)}-{_doc_key(origin)}" + (f"-{version}" if version else "")
    suffix = ".md" if suffix.lower() in loaders.SUFFIXES else suffix.lower()
    if suffix in (".vtt", ".srt"):
        chunks = _cue_chunks(text, prefix)
    elif suffix == ".md":
        chunks = _markdown_chunks(text, prefix)
    else:
        tr = T.parse(text, title=title)
        chunks = T.chunks(tr, prefix) if tr.chapters else _plain_chunks(text, prefix, None)
    chunks = [piece for c in chunks for piece in _split_long(c)]
    label = source_label(origin, suffix)
    return [
        Doc(
            chunk_id=c.chunk_id,
            text=c.text,
            kind="transcript",
            source=label,
            chapter=c.chapter,
            timestamp=T.format_timestamp(c.seconds) if c.seconds is not None else None,
            source_urls=(origin,),
            origin=origin,
        )
        for c in chunks
    ]


def _split_long(chunk: T.Chunk) -> list[T.Chunk]:
    """A chunk longer than MAX_PASSAGE_CHARS (a chaptered transcript's long line) cut into bounded pieces."""
    if len(chunk.text) <= MAX_PASSAGE_CHARS:
        return [chunk]
    cid, text, start = chunk.chunk_id, chunk.text, chunk.start
    pieces = bounded(text, [(0, len(text))])
    return [T.Chunk(f"{cid}+{a}", text[a:b], start + a, start + b, chunk.chapter, chunk.seconds) for a, b in pieces]


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


def _keep_copy(data_dir: Path, origin: str, title: str, suffix: str, sha: str, data: bytes) -> Path:
    """The kept copy ``<sha16><suffix>`` and its sidecar (path, title), both written atomically."""
    stored = _sources_dir(data_dir) / f"{sha[:16]}{suffix}"
    _write_atomic(stored, data)
    _write_atomic(stored.with_suffix(".json"), json.dumps({"origin": origin, "title": title, "sha256": sha}).encode())
    return stored


def _drop_copy(data_dir: Path, stored: str, manifest: dict[str, dict]) -> None:
    """Delete a kept copy and its sidecar unless another manifest entry still uses it."""
    if any(e.get("stored") == stored for e in manifest.values()):
        return
    copy = _sources_dir(data_dir) / stored
    copy.unlink(missing_ok=True)
    copy.with_suffix(".json").unlink(missing_ok=True)


def sweep(store: "KnowledgeStore", manifest: dict[str, dict]) -> int:
    """Remove leftovers of killed or replaced ingests: chunks whose file or version the manifest does not
    name, and kept copies no entry uses. Returns how many index records were removed. Under the lock."""
    current = {origin: e["sha256"][:VERSION_CHARS] for origin, e in manifest.items()}
    got = store.collection.get(where={"origin": {"$ne": BUNDLED}}, include=["metadatas"])
    stale = [
        i
        for i, meta in zip(got["ids"], got["metadatas"])
        if chunk_version(i.split("#", 1)[0]) != current.get(str((meta or {}).get("origin")))
    ]
    for i in range(0, len(stale), 500):
        store.collection.delete(ids=stale[i : i + 500])
    used = {e["stored"] for e in manifest.values()}
    for copy in _sources_dir(store.data_dir).iterdir():
        if copy.suffix in SUFFIXES and copy.name not in used:
            _drop_copy(store.data_dir, copy.name, manifest)
    return len(stale)


def ingest(paths: list[Path], store: "KnowledgeStore", progress: Progress | None = None) -> list[IngestResult]:
    """Add, replace or skip each file (all are validated first: one bad path adds nothing). See the module
    docstring for the order of writes that makes it atomic; ``progress(done, total)`` counts chunks."""
    data_dir = store.data_dir
    loaded = [(Path(p).resolve(), *read_source(Path(p))) for p in paths]
    results = []
    with sources_lock(data_dir):
        store.refresh()  # another process may have ingested since this store was opened
        manifest = load_manifest(data_dir, store.report.notices)
        sweep(store, manifest)
        for path, data, text in loaded:
            results.append(_ingest_one(store, manifest, path, data, text, progress))
        store.refresh()
    return results


def _ingest_one(
    store: "KnowledgeStore", manifest: dict[str, dict], path: Path, data: bytes, text: str, progress: Progress | None
) -> IngestResult:
    data_dir = store.data_dir
    origin, suffix = str(path), path.suffix.lower()
    sha = T.content_hash(data)
    entry = manifest.get(origin)
    if entry and entry["sha256"] == sha and any(d.origin == origin for d in store.docs):
        return IngestResult(origin, "unchanged", entry["chunks"], entry["title"])
    title = _title(path, text)
    docs = docs_for(text, suffix, title, origin, sha[:VERSION_CHARS])
    stored = _keep_copy(data_dir, origin, title, suffix, sha, data)
    store.add(docs, progress, reload=False)  # 1. new chunks, not yet searchable
    manifest[origin] = {"sha256": sha, "title": title, "stored": stored.name, "suffix": suffix, "chunks": len(docs)}
    _save_manifest(data_dir, manifest)  # 2. the switch: the new version is the searchable one
    sweep(store, manifest)  # 3. old chunks and the old copy go
    return IngestResult(origin, "replaced" if entry else "added", len(docs), title)


def remove(name: str, store: "KnowledgeStore") -> str:
    """Take one ingested file out (by its path, file name or kept-copy name); returns the path removed.
    ``InputError`` with the closest names when nothing or several match."""
    with sources_lock(store.data_dir):
        store.refresh()
        manifest = load_manifest(store.data_dir, store.report.notices)
        wanted = {name, str(Path(name).resolve())}
        matches = [o for o, e in manifest.items() if wanted & {o, o.rsplit("/", 1)[-1], e["stored"]}]
        if len(matches) != 1:
            from rapidfuzz import process

            names = [o.rsplit("/", 1)[-1] for o in manifest] + list(manifest)
            near = [m[0] for m in process.extract(name, names, limit=3, score_cutoff=50)]
            what = "matches several ingested files" if matches else "is not an ingested file"
            message = f"{name!r} {what}; list them with 'siliconomics sources'."
            raise InputError("name", message, suggestions=matches or near)
        del manifest[matches[0]]
        _save_manifest(store.data_dir, manifest)
        sweep(store, manifest)
        store.refresh()
    return matches[0]


def stored_docs(data_dir: Path, notices: list[str] | None = None) -> list[Doc]:
    """Documents for every file ingested so far (from the kept copies), for an index rebuild. A corrupt
    manifest is rebuilt from the copies first (a notice is appended)."""
    out: list[Doc] = []
    with sources_lock(data_dir):
        manifest = load_manifest(data_dir, notices)
    for origin, entry in sorted(manifest.items()):
        copy = _sources_dir(data_dir) / entry["stored"]
        if copy.is_file():
            text = _copy_text(copy, copy.read_bytes())
            out += docs_for(text, entry["suffix"], entry["title"], origin, entry["sha256"][:VERSION_CHARS])
    return out


def ingested(data_dir: Path) -> dict[str, dict]:
    """The manifest: ingested path -> sha256, title, kept copy, chunk count ({} when unreadable)."""
    try:
        return _manifest(data_dir)
    except ManifestCorrupt:
        return {}
