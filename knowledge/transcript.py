"""Transcripts: the chapter list, chunks at sentence boundaries, estimated timestamps.

A transcript file (the BG2 episode in ``knowledge/data``, or one the user ingests) opens with a
chapter list, one ``M:SS Title`` per line, then the body with no per-line timestamps. Speech
runs at a steady rate through an episode, so a position in the body maps to a time:

* each chapter start is *aligned* to the place in the body where its topic opens (an anchor
  phrase, listed in :data:`BG2_ANCHORS` for the bundled episode; for other transcripts the
  place is estimated from the mean speech rate);
* the time at a word is interpolated linearly between the two surrounding chapter starts
  (``t = t_i + (w - w_i) * (t_{i+1} - t_i) / (w_{i+1} - w_i)``), and after the last chapter
  extrapolated at the episode's mean rate (words per second, least squares over the anchors).

:func:`alignment_check` compares the listed chapter times with what one constant speech rate
predicts at each anchor: the residuals say how steady the rate is and whether an anchor is off.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

#: Words per chunk aimed for (MiniLM embeds at most 256 WordPiece tokens, about 190 words).
TARGET_WORDS = 160
#: Words repeated from the end of one chunk at the start of the next (whole sentences, at most this).
OVERLAP_WORDS = 40
#: Mean speech rate used where a transcript has no anchors, words per second. Source: the BG2
#: episode's own least-squares rate over its 21 anchored chapters (printed by ``siliconomics index``).
DEFAULT_WORDS_PER_S = 3.2

_CHAPTER_LINE = re.compile(r"^\s*(\d{1,3}):(\d{1,2})(?::(\d{1,2}))?\s+(\S.*?)\s*$")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+|\n\s*\n")
_WORD = re.compile(r"\S+")

#: Where each chapter of the bundled BG2 episode opens in the body (first occurrence after the
#: previous anchor). Chosen by reading the transcript: the question that opens the topic.
BG2_ANCHORS: dict[str, str] = {
    "Intro": "",
    "Dylan Patel Backstory": "Dylan, how'd you get into this?",
    "SemiAnalysis Backstory": "And just tell us, give us a quick thumbnail on semi-analysis today.",
    "Google's AI Workload": "Well, so I think if you're gonna talk about AI and semiconductors",
    "NVIDIA's Edge": "Why are they so dominant?",
    "NVIDIA's Incremental Differentiation": "Where would you say NVIDIA has been investing the most",
    "Potential Vulnerabilities for NVIDIA": "You said if they stand still there, they would have competition",
    "The Shift to GPUs: What It Means for Data Centers": "I wanna get you to comment on this chart.",
    "AI Pre-training Scaling Challenges": "Well, before we dive into the alternatives to NVIDIA",
    "If Pretraining Is Dead, Why Bigger Clusters?": "Putting on my investor hat",
    "Synthetic Data Generation": "What domains do you think are most applicable with this approach?",
    "Hyperscaler CapEx": "What are you hearing from the hyperscalers?",
    "Pre-training and Inference-tIme Reasoning": "You talked a lot at the beginning about NVIDIA's differentiation",
    "Cisco Comparison to NVIDIA": "the thing that I think so interesting, you know, I hear Kramer",
    "Inference-time Compute": "Maybe we can switch a little bit. You've mentioned inference time reasoning",
    "The Future of AI Models and Market Dynamics": "Quick question, and we promised we'd go to these alternatives",
    "Evolving Memory Technology": "Bill and I were talking about this earlier with respect to the hard drives",
    "Chip Competition": "Well, this is where we wanted to go before we run out of time",
    "AMD": "Let's start with AMD just because they're a standalone company",
    "Google’s TPU": "Let's go with the Google TPU.",
    "Cerebras and Grok": "You just did a super deep piece on Tranium.",
    "Predictions for 2025 and 2026": "Maybe just wrapping this up",
}


@dataclass(frozen=True)
class Chapter:
    """One chapter: listed start (seconds), and where it opens in the body (character offset)."""

    title: str
    listed_s: int
    start: int


@dataclass(frozen=True)
class Chunk:
    """A span of a document with what a citation needs."""

    chunk_id: str
    text: str
    start: int
    end: int
    chapter: str | None
    seconds: float | None


@dataclass(frozen=True)
class Transcript:
    """A parsed transcript: its title, body text and aligned chapters."""

    title: str
    body: str
    chapters: tuple[Chapter, ...]


#: The episode bundled in ``knowledge/data/``.
BUNDLED_FILE = "bg2-dylan-patel-ai-semiconductor-landscape.txt"


def bundled_text() -> str:
    """The bundled episode's text, exactly as shipped."""
    from importlib import resources

    return (resources.files("knowledge") / "data" / BUNDLED_FILE).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def bundled() -> "Transcript":
    """The bundled episode parsed, with its chapters aligned (once per process)."""
    return parse(bundled_text(), anchors=BG2_ANCHORS)


def format_timestamp(seconds: float) -> str:
    """'MM:SS' (minutes may exceed 59, as in the episode's own chapter list): 3754.2 -> '62:34'."""
    s = int(round(seconds))
    return f"{s // 60:02d}:{s % 60:02d}"


def parse(text: str, *, title: str | None = None, anchors: dict[str, str] | None = None) -> Transcript:
    """Split a transcript file into title, chapter list and body, and align the chapters.

    The chapter list is every ``M:SS Title`` line before the body; the body starts after a
    line reading ``Transcript`` (the bundled format) or after the last chapter line.
    """
    lines = text.splitlines(keepends=True)
    chapters_listed: list[tuple[int, str]] = []
    body_start = 0
    offset = 0
    first_title = None
    for line in lines:
        stripped = line.strip()
        m = _CHAPTER_LINE.match(line)
        if m and (not chapters_listed or len(stripped) < 120):
            h_or_m, m_or_s, s, name = m.groups()
            secs = int(h_or_m) * 3600 + int(m_or_s) * 60 + int(s) if s else int(h_or_m) * 60 + int(m_or_s)
            chapters_listed.append((secs, name))
            body_start = offset + len(line)
        elif stripped == "Transcript" and chapters_listed:
            body_start = offset + len(line)
            break
        elif stripped and not chapters_listed and first_title is None and stripped not in ("Back to Index", "Chapters"):
            first_title = stripped
        elif stripped and chapters_listed and len(stripped) > 120:
            break
        offset += len(line)
    body = text[body_start:] if chapters_listed else text
    doc_title = title or first_title or "transcript"
    return Transcript(doc_title, body, tuple(_align(body, chapters_listed, anchors or {})))


def _words_before(body: str, offset: int) -> int:
    """How many words start before ``offset`` (word starts cached per body)."""
    return bisect.bisect_left(_word_starts(body), offset)


@lru_cache(maxsize=8)
def _word_starts(body: str) -> list[int]:
    return [m.start() for m in _WORD.finditer(body)]


def _align(body: str, listed: list[tuple[int, str]], anchors: dict[str, str]) -> list[Chapter]:
    """Place each listed chapter in the body: at its anchor phrase, else at the mean speech rate."""
    out: list[Chapter] = []
    words = _word_starts(body)
    cursor = 0
    for secs, title in listed:
        phrase = anchors.get(title)
        start = None
        if phrase is not None:
            found = body.find(phrase, cursor) if phrase else 0
            start = found if found >= 0 else None
        if start is None:
            w = min(int(secs * DEFAULT_WORDS_PER_S), max(len(words) - 1, 0))
            start = max(words[w] if words else 0, cursor)
        out.append(Chapter(title, secs, start))
        cursor = start
    return out


def words_per_second(body: str, chapters: tuple[Chapter, ...]) -> float:
    """Least-squares speech rate through the origin over the chapter starts, words per second."""
    pts = [(_words_before(body, c.start), c.listed_s) for c in chapters if c.listed_s > 0]
    if not pts:
        return DEFAULT_WORDS_PER_S
    return sum(w * t for w, t in pts) / sum(t * t for _, t in pts)


def time_at(body: str, chapters: tuple[Chapter, ...], offset: int, rate: float | None = None) -> float | None:
    """Estimated seconds at character ``offset``: linear between chapter starts, mean rate after the last."""
    if not chapters:
        return None
    w = _words_before(body, offset)
    marks = [(_words_before(body, c.start), float(c.listed_s)) for c in chapters]
    for (w0, t0), (w1, t1) in zip(marks, marks[1:]):
        if w0 <= w < w1:
            return t0 + (w - w0) * (t1 - t0) / (w1 - w0)
    if w < marks[0][0]:
        return marks[0][1]
    w_last, t_last = marks[-1]
    return t_last + (w - w_last) / (rate or words_per_second(body, chapters))


def alignment_check(transcript: Transcript) -> list[tuple[str, int, float]]:
    """Per chapter: (title, listed seconds, seconds predicted at its anchor by one constant rate)."""
    rate = words_per_second(transcript.body, transcript.chapters)
    return [(c.title, c.listed_s, _words_before(transcript.body, c.start) / rate) for c in transcript.chapters]


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Character spans of the sentences (and paragraphs) of ``text[start:end]``."""
    end = len(text) if end is None else end
    spans = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if text[pos : m.start()].strip():
            spans.append((pos + len(text[pos : m.start()]) - len(text[pos : m.start()].lstrip()), m.start()))
        pos = m.end()
    tail = text[pos:end]
    if tail.strip():
        spans.append((pos + len(tail) - len(tail.lstrip()), pos + len(tail.rstrip())))
    return spans


def pack(
    text: str, spans: list[tuple[int, int]], target: int = TARGET_WORDS, overlap: int = OVERLAP_WORDS
) -> list[tuple[int, int]]:
    """Group consecutive sentence spans into chunks of about ``target`` words with ``overlap`` words repeated."""
    counts = [len(_WORD.findall(text[a:b])) for a, b in spans]
    chunks = []
    i = 0
    while i < len(spans):
        j, n = i, 0
        while j < len(spans) and (n == 0 or n + counts[j] <= target):
            n += counts[j]
            j += 1
        chunks.append((spans[i][0], spans[j - 1][1]))
        if j >= len(spans):
            break
        back, k = 0, j  # repeat whole sentences, only as many as leave room for the next new one
        while k - 1 > i and back + counts[k - 1] <= min(overlap, target - counts[j]):
            k -= 1
            back += counts[k]
        i = k
    return chunks


def slug(title: str) -> str:
    """A short id-safe form of a title: 'AI Semiconductor Landscape' -> 'ai-semiconductor-landscape'."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:48] or "doc"


def chunks(transcript: Transcript, doc_key: str) -> list[Chunk]:
    """The transcript's chunks, never crossing a chapter start, each with chapter and estimated time.

    ``chunk_id`` = ``<doc_key>@<character offset in the body>``: stable while the text is.
    """
    body = transcript.body
    bounds = [c.start for c in transcript.chapters] or [0]
    if bounds[0] > 0:
        bounds = [0, *bounds]
    bounds.append(len(body))
    rate = words_per_second(body, transcript.chapters) if transcript.chapters else None
    titles = {c.start: c.title for c in transcript.chapters}
    out: list[Chunk] = []
    for a, b in zip(bounds, bounds[1:]):
        if b <= a:
            continue
        chapter = titles.get(a)
        for s, e in pack(body, sentence_spans(body, a, b)):
            secs = time_at(body, transcript.chapters, s, rate)
            out.append(Chunk(f"{doc_key}@{s}", body[s:e], s, e, chapter, secs))
    return out


def content_hash(data: bytes) -> str:
    """sha256 hex digest of a file's bytes (what decides whether an ingested file changed)."""
    return hashlib.sha256(data).hexdigest()
