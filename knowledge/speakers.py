"""Who speaks each turn of a podcast transcript: guest or host, by name when the text makes it clear.

The bundled transcript marks a change of speaker with ``- `` at the start of a turn but never
says who speaks. The cast comes from the episode title ("... feat. Dylan Patel | BG2 w/ Bill
Gurley & Brad Gerstner": the name after "feat." is the guest, the names after "w/" the hosts).
Each turn's **role** is decided by the first rule that applies:

1. ``names the guest``: the turn says the guest's first name (a host addresses or introduces
   him; the guest does not name himself) -> host;
2. ``names a host``: the turn says a host's first name (hosts address and hand over to each
   other: "So Bill, why don't you ...", "Bill and I were talking") -> host;
3. ``long answer``: the turn has at least ``LONG_TURN_WORDS`` words -> guest;
4. ``asks``: the turn's last sentence is a question -> host;
5. ``reply``: otherwise (a short remark) the role other than the previous turn's.

A host turn gets a **name** when one of these holds (else it stays "host"):

* ``names the other host``: it says exactly one host's first name (hosts address each other:
  "So Bill, why don't you ...") -> the other host;
* ``handed over``: the previous host turn addressed host X by name, and this turn is the next
  host turn -> X.

The guest's turns carry the guest's name. The rule used is kept with each turn so a citation
can say why. Accuracy on a hand-labelled sample is measured by ``tests/knowledge/test_speakers.py``
and reported in ``.readme/knowledge.md``.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

#: Words from which a turn counts as an answer (the guest's). Host questions in the bundled
#: episode run 2-80 words; the guest's answers mostly 90-900.
LONG_TURN_WORDS = 90

_TURN_MARK = re.compile(r"(?:(?<=\s)|^)- (?=\S)")
_FEAT = re.compile(r"\bfeat(?:uring)?\.?\s+([A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)*)")
_HOSTS = re.compile(r"\bw/\s*(.+)$")


@dataclass(frozen=True)
class Cast:
    """The guest's and the hosts' full names."""

    guest: str | None
    hosts: tuple[str, ...]


@dataclass(frozen=True)
class Turn:
    """One speaker turn: character span in the body, role ('guest' or 'host'), name or None, rule."""

    start: int
    end: int
    role: str
    name: str | None
    rule: str

    def label(self) -> str:
        """'Dylan Patel (guest)', 'Brad Gerstner (host)' or 'a host'."""
        return f"{self.name} ({self.role})" if self.name else f"a {self.role}"


def cast_from_title(title: str) -> Cast:
    """The cast named in an episode title.

    >>> cast_from_title("AI Semiconductor Landscape feat. Dylan Patel | BG2 w/ Bill Gurley & Brad Gerstner")
    Cast(guest='Dylan Patel', hosts=('Bill Gurley', 'Brad Gerstner'))
    """
    m = _FEAT.search(title)
    guest = m.group(1).strip() if m else None
    h = _HOSTS.search(title)
    hosts = tuple(n.strip() for n in re.split(r"\s*(?:&|,|\band\b)\s*", h.group(1)) if n.strip()) if h else ()
    return Cast(guest, hosts)


def _first(name: str) -> str:
    return name.split()[0]


def _says(text: str, first_name: str) -> bool:
    return re.search(rf"\b{re.escape(first_name)}\b", text) is not None


def _spans(body: str) -> list[tuple[int, int]]:
    marks = [m.start() for m in _TURN_MARK.finditer(body)]
    bounds = [0, *marks] if not marks or marks[0] > 0 else marks
    return [(a, b) for a, b in zip(bounds, [*bounds[1:], len(body)]) if body[a:b].strip()]


def _role(text: str, cast: Cast, previous: str | None) -> tuple[str, str]:
    if cast.guest and _says(text, _first(cast.guest)):
        return "host", "names the guest"
    if any(_says(text, _first(h)) for h in cast.hosts):
        return "host", "names a host"
    if len(text.split()) >= LONG_TURN_WORDS:
        return "guest", "long answer"
    if text.rstrip().endswith("?"):
        return "host", "asks"
    return ("guest" if previous == "host" else "host"), "reply"


def _host_name(text: str, cast: Cast, handed_to: str | None) -> tuple[str | None, str | None]:
    """(name, rule) of a host turn: the other host when it names exactly one, else the one handed the word."""
    named = [h for h in cast.hosts if _says(text, _first(h))]
    if len(named) == 1 and len(cast.hosts) == 2:
        return next(h for h in cast.hosts if h != named[0]), "names the other host"
    if handed_to:
        return handed_to, "handed over"
    return None, None


def attribute(body: str, cast: Cast) -> list[Turn]:
    """Every turn of ``body`` with its role, name and the rule that decided them (see the module docstring)."""
    out: list[Turn] = []
    previous: str | None = None
    handed_to: str | None = None
    for a, b in _spans(body):
        text = body[a:b].lstrip("- ").strip()
        role, rule = _role(text, cast, previous)
        name: str | None = cast.guest if role == "guest" else None
        if role == "host":
            name, name_rule = _host_name(text, cast, handed_to)
            rule = f"{rule}; {name_rule}" if name_rule else rule
            named = [h for h in cast.hosts if _says(text, _first(h))]
            handed_to = named[0] if len(named) == 1 else None
        out.append(Turn(a, b, role, name, rule))
        previous = role
    return out


@lru_cache(maxsize=1)
def bundled_turns() -> tuple[Turn, ...]:
    """The bundled episode's turns (once per process)."""
    from knowledge import transcript as T

    tr = T.bundled()
    return tuple(attribute(tr.body, cast_from_title(tr.title)))


def turn_at(turns: tuple[Turn, ...] | list[Turn], offset: int) -> Turn | None:
    """The turn containing character ``offset`` of the body (None before the first or for no turns)."""
    i = bisect.bisect_right([t.start for t in turns], offset) - 1
    return turns[i] if 0 <= i < len(turns) else None


def bundled_offset(chunk_id: str) -> int | None:
    """Body offset of a bundled transcript chunk ('bg2@1234' -> 1234); None for any other id."""
    m = re.fullmatch(r"bg2@(\d+)", chunk_id)
    return int(m.group(1)) if m else None


def turn_spans(chunk_id: str, text: str) -> list[tuple[int, int, Turn]]:
    """(start, end, turn) of each part of a bundled transcript chunk's ``text`` spoken in one turn, in
    order (offsets in ``text``, surrounding spaces and the "- " turn mark left out); [] for other documents."""
    start = bundled_offset(chunk_id)
    if start is None:
        return []
    turns = bundled_turns()
    end = start + len(text)
    cuts = sorted({start, end, *(t.start for t in turns if start < t.start < end)})
    out = []
    for a, b in itertools.pairwise(cuts):
        turn = turn_at(turns, a)
        part = text[a - start : b - start]
        lead = len(part) - len(part.lstrip("- \n\t"))
        if turn and part.strip("- \n\t"):
            out.append((a - start + lead, a - start + len(part.rstrip()), turn))
    return out


def chunk_speakers(chunk_id: str, text: str) -> list[tuple[str, Turn]]:
    """(part of the chunk's text, its turn) in order, for a bundled transcript chunk; [] otherwise."""
    return [(text[a:b], turn) for a, b, turn in turn_spans(chunk_id, text)]


#: Words of a part kept as its ``opening`` in a passage (:class:`knowledge.passage.SpokenPart`).
OPENING_WORDS = 8


def opening(text: str) -> str:
    """The first :data:`OPENING_WORDS` words of ``text``, whitespace collapsed."""
    return " ".join(text.split()[:OPENING_WORDS])


def spoken_parts(passage: Any) -> list[tuple[str, Any]]:
    """(text, part) for each part of a passage (a Passage or its dict) in order: each part runs from where its
    opening words are found to where the next part's are; [] for a passage without speakers."""
    text, parts = _get(passage, "text") or "", _get(passage, "speakers") or []
    starts, pos = [], 0
    for part in parts:
        at = _find(text[pos:], str(_get(part, "opening") or ""))
        pos = pos + at if at is not None else pos
        starts.append(pos)
    ends = [*starts[1:], len(text)]
    return [(text[a:b].strip(), part) for a, b, part in zip(starts, ends, parts)]


def speaker_of_quote(passage: Any, quote: str) -> str | None:
    """The speaker label of the part of ``passage`` (a Passage or its dict) that holds ``quote`` (whitespace and
    case ignored; the part holding its start when it spans two turns); the passage's main speaker when the quote
    is not found; None for documents without speakers."""
    text = str(_get(passage, "text") or "")
    at = _find(text, quote)
    found = None
    if at is not None:
        pos = 0
        for part_text, part in spoken_parts(passage):
            start = text.find(part_text, pos) if part_text else -1
            if start < 0:
                continue
            if start <= at:
                found = _get(part, "speaker")
            pos = start
    return found or _get(passage, "speaker")


def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)


def _find(text: str, quote: str) -> int | None:
    """Character offset in ``text`` where ``quote`` starts, ignoring case and runs of whitespace; None if absent."""
    words = quote.split()
    if not words:
        return None
    m = re.search(r"\s+".join(re.escape(w) for w in words), text, re.IGNORECASE)
    return m.start() if m else None


def main_speaker(chunk_id: str, text: str) -> Turn | None:
    """The turn that holds most of a bundled chunk's words (None for other documents)."""
    words: dict[Turn, int] = {}
    for part, turn in chunk_speakers(chunk_id, text):
        words[turn] = words.get(turn, 0) + len(part.split())
    return max(words, key=lambda t: words[t]) if words else None


def role_share(chunk_id: str, text: str, role: str, name: str | None = None) -> float | None:
    """Fraction of a bundled chunk's words spoken in ``role`` (by ``name`` when given); None for other documents."""
    parts = chunk_speakers(chunk_id, text)
    total = sum(len(p.split()) for p, _ in parts)
    if not total:
        return None
    hit = sum(len(p.split()) for p, t in parts if t.role == role and (name is None or t.name in (name, None)))
    return hit / total


_FRAME = (
    r"\b(?:did|does|do|according to|per|from)\s+(?:the\s+)?{who}\b|"
    r"\b{who}(?:'s)?\s+(?:say|says|said|think|thinks|thought|argue[sd]?|claim(?:s|ed)?|view|take|answer(?:s|ed)?|ask(?:s|ed)?|mean|meant|explain(?:s|ed)?|describe[sd]?)\b|"
    # a possessive before what a speaker puts forward: "Brad's point", "Bill's opening question"
    r"\b{who}'s\s+(?:point|question|opening|rebuttal|argument|pushback|framing|comment|remark|analogy|example|thesis)s?\b"
)


def query_speaker(query: str, cast: Cast) -> tuple[str, str | None] | None:
    """(role, name or None) a question asks about: "what did Dylan say" -> ('guest', 'Dylan Patel'),
    "what did Brad ask" -> ('host', 'Brad Gerstner'), "what does the guest think" -> ('guest', ...);
    None when the question names no speaker in such a frame.

    >>> query_speaker("what did Brad ask about Cisco", Cast("Dylan Patel", ("Bill Gurley", "Brad Gerstner")))
    ('host', 'Brad Gerstner')
    """
    people = [(cast.guest, "guest")] if cast.guest else []
    people += [(h, "host") for h in cast.hosts]
    for name, role in people:
        who = rf"{re.escape(_first(name))}(?:\s+{re.escape(name.split()[-1])})?"
        if re.search(_FRAME.format(who=who), query, re.IGNORECASE):
            return role, name
    for word, role in (("guest", "guest"), ("hosts?", "host"), ("interviewers?", "host")):
        if re.search(_FRAME.format(who=word), query, re.IGNORECASE):
            return role, cast.guest if role == "guest" else None
    return None


def resolve(who: str, cast: Cast) -> tuple[str, str | None] | None:
    """('guest'|'host', name or None) for 'guest', 'host', 'hosts' or a cast member's (first) name; None otherwise."""
    w = who.strip().lower()
    if w in ("guest", "the guest"):
        return "guest", cast.guest
    if w in ("host", "hosts", "the host", "the hosts"):
        return "host", None
    for name, role in [(cast.guest, "guest"), *((h, "host") for h in cast.hosts)]:
        if name and w in (name.lower(), _first(name).lower()):
            return role, name
    return None


def speaker_of(chunk_id: str, text: str, position: int) -> Turn | None:
    """The turn holding character ``position`` of a bundled chunk's ``text`` (None for other documents)."""
    start = bundled_offset(chunk_id)
    return turn_at(bundled_turns(), start + position) if start is not None else None


def bundled_cast() -> Cast:
    """The bundled episode's cast, from its title."""
    from knowledge import transcript as T

    return cast_from_title(T.bundled().title)
