"""The unit the index stores: one chunk of a document with everything a citation needs."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.aliases import canonicalize
from knowledge.transcript import sentence_spans

#: What ``search(source=...)`` filters on.
KINDS = ("transcript", "specs")
#: ``origin`` of the documents built from the package's own data (ingested files use their path).
BUNDLED = "bundled"
#: Sentences per window, and the step between window starts (windows overlap by one sentence).
WINDOW_SENTENCES = 3
WINDOW_STEP = 2


@dataclass(frozen=True)
class Doc:
    """One indexed chunk.

    ``text`` is shown and cited as it is; :meth:`index_text` (title or chapter, then the text,
    through the synonym layer) is what is embedded and tokenised.
    """

    chunk_id: str
    text: str
    kind: str
    source: str
    chapter: str | None = None
    timestamp: str | None = None
    source_urls: tuple[str, ...] = ()
    origin: str = BUNDLED

    def index_text(self) -> str:
        head = self.chapter if self.kind == "transcript" and self.chapter else self.source
        return canonicalize(f"{head}: {self.text}")

    def windows(self) -> list[tuple[str, str]]:
        """(id, index text) of the chunk's sentence windows: 3 sentences every 2, for fine-grained
        dense matching (a chunk's dense score also counts its best window). None for short chunks."""
        spans = sentence_spans(self.text)
        if self.kind != "transcript" or len(spans) <= WINDOW_SENTENCES:
            return []
        head = f"{self.chapter}: " if self.chapter else ""
        out = []
        for j, first in enumerate(range(0, len(spans) - 1, WINDOW_STEP)):
            last = min(first + WINDOW_SENTENCES, len(spans)) - 1
            out.append((f"{self.chunk_id}#w{j}", canonicalize(head + self.text[spans[first][0] : spans[last][1]])))
        return out

    def sentences(self) -> list[tuple[str, str]]:
        """(id, index text) of each sentence of a transcript chunk, without the chapter head: the
        candidates' best sentence re-scores the top of the hybrid ranking (:mod:`knowledge.search`)."""
        if self.kind != "transcript":
            return []
        spans = sentence_spans(self.text) or [(0, len(self.text))]
        return [(f"{self.chunk_id}#s{j}", canonicalize(self.text[a:b])) for j, (a, b) in enumerate(spans)]

    def metadata(self) -> dict[str, str]:
        """Chroma metadata (strings only; '' for none; URLs joined by newlines)."""
        return {
            "kind": self.kind,
            "source": self.source,
            "chapter": self.chapter or "",
            "timestamp": self.timestamp or "",
            "source_urls": "\n".join(self.source_urls),
            "origin": self.origin,
            "level": "chunk",
        }

    @classmethod
    def from_record(cls, chunk_id: str, text: str, meta: dict) -> "Doc":
        urls = meta.get("source_urls") or ""
        return cls(
            chunk_id=chunk_id,
            text=text,
            kind=str(meta.get("kind", "transcript")),
            source=str(meta.get("source", "")),
            chapter=meta.get("chapter") or None,
            timestamp=meta.get("timestamp") or None,
            source_urls=tuple(u for u in str(urls).split("\n") if u),
            origin=str(meta.get("origin", BUNDLED)),
        )
