"""One verdict per search: close passages, or none (and a statement saying so).

A question is *close* to the corpus when at least one returned passage contains one of its
content terms: its BM25 tokens (stemmed, through the synonym layer, so "nvda" meets "NVIDIA")
plus the thesaurus expansions (:mod:`knowledge.thesaurus`: "alphabet" meets "Google"), without the
words of a question frame ("say", "think", "ask" ...) and without the speakers' names ("what did
Brad say about stargate" is about stargate: Brad is addressed all through the episode). Fused scores
alone do not separate a question off the corpus from a paraphrase (both reach 3-5 on the retrieval
suites), but every answerable question of the six retrieval suites shares a term with its top 5.

The search tool (:mod:`knowledge.tool`), the CLI and the offline writer all read this one verdict,
so an answer never says "nothing close" while showing passages, nor shows unrelated passages.
When the question asks about a speaker ("what did Brad say about ...") the verdict also says
whether that speaker says one of the terms in the passages (``speaker_says_it``), so a writer can
say "Brad does not; Dylan does" instead of attributing the guest's words to the host.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.bm25 import tokenize
from knowledge.thesaurus import expand

#: How a statement opens when nothing is close (front-ends then show no passages and no citations).
NOTHING_CLOSE = "Nothing in the knowledge base is close to"
#: Words of a question frame that are not what the question is about.
FRAME_WORDS = frozenset(
    tokenize(
        "say said says think thinks thought guest host hosts ask asked asks mention mentioned talk talked "
        "podcast episode explain view"
    )
)


@dataclass(frozen=True)
class Verdict:
    """Whether the passages are close to the question, which of its terms they hold, and what to say if not."""

    close: bool
    terms: tuple[str, ...]
    matched: tuple[str, ...]
    statement: str | None = None
    speaker_says_it: bool | None = None

    @property
    def label(self) -> str:
        """'close' or 'nothing close'."""
        return "close" if self.close else "nothing close"


def content_terms(query: str, names: Sequence[str] = (), *, expanded: bool = True) -> list[str]:
    """The question's content terms (BM25 tokens of the question and, by default, its thesaurus
    expansions), without frame words and speaker names, in order."""
    drop = FRAME_WORDS | set(tokenize(" ".join(names)))
    return [t for t in tokenize(expand(query) if expanded else query) if t not in drop]


def judge(
    query: str,
    texts: Sequence[str],
    names: Sequence[str] = (),
    spoken_by_wanted: Sequence[str] | None = None,
) -> Verdict:
    """The verdict for ``query`` on the returned passages' ``texts`` (see the module docstring).

    ``names``: the speakers' names (left out of the terms). ``spoken_by_wanted``: the parts of the
    passages spoken by the speaker the question asks about, when it asks about one.
    A question with no content term ("what did he say") is close when any passage was returned.
    """
    terms = list(dict.fromkeys(content_terms(query, names)))
    have = set().union(*(tokenize(t) for t in texts)) if texts else set()
    matched = tuple(t for t in terms if t in have)
    close = bool(texts) and (not terms or bool(matched))
    statement = None
    if not close:
        what = "no passage uses its words" if texts else "the search returned no passage"
        statement = f'{NOTHING_CLOSE} "{query}" ({what}); try other words, or ingest your own notes.'
    says = None
    if close and spoken_by_wanted is not None:
        spoken = set().union(*(tokenize(t) for t in spoken_by_wanted)) if spoken_by_wanted else set()
        says = bool(set(matched) & spoken) if terms else bool(spoken_by_wanted)
    return Verdict(close, tuple(terms), matched, statement, says)
