"""Answers about what was said, through ``ask()``: offline (real planner, real index) and with a scripted model.

Offline: a short cited answer naming the speaker opens the answer, then numbered quotes; nothing
close -> said so, no citations. Model path (scripted fake model, no provider): ``[n]`` citations list
the passages in the order returned, and a quote that is not verbatim in them is flagged.
"""

from __future__ import annotations

import re

from agent.ask import ask
from knowledge.passage import Passage
from tests.agent.fakes import ScriptedChatModel, calls, say


def test_offline_answer_opens_with_a_cited_quote_naming_the_speaker(knowledge_store) -> None:
    answer = ask("what did the guest say about HBM margins?", model="offline")
    first = answer.answer.strip().splitlines()[0]
    assert first.startswith("**In short**") and "Dylan Patel (guest)" in first
    quote = re.search(r'"([^"]+)" \[(\d)\]', first)
    assert quote, first
    cited = answer.citations[int(quote.group(2)) - 1]
    assert " ".join(quote.group(1).split()) in " ".join(cited.text.split())  # verbatim from the cited passage
    assert answer.answer.index("**In short**") < answer.answer.index("> [")  # the answer, then the quotes
    assert answer.warnings == []
    speaker_args = [c.args.get("speaker") for c in answer.tool_calls if c.name == "search_knowledge"]
    assert speaker_args == ["Dylan Patel"]


def test_offline_says_so_when_nothing_is_close(knowledge_store) -> None:
    answer = ask("what did dylan say about banana bread?", model="offline")
    assert "Nothing in the knowledge base is close to" in answer.answer
    assert answer.citations == [] and "> [" not in answer.answer


PASSAGES = [
    Passage(text="Trainium2 is priced at about $3,000 a chip, right?", source="BG2", chapter="Custom silicon",
            timestamp="41:05", score=0.9, chunk_id="t-1", speaker="Dylan Patel (guest)"),
    Passage(text="HBM margins have not been fantastic.", source="BG2", chapter="Memory", timestamp="43:10",
            score=0.5, chunk_id="t-2", speaker="Dylan Patel (guest)"),
]  # fmt: skip


def _scripted(monkeypatch, reply: str):
    import knowledge.search

    monkeypatch.setattr(knowledge.search, "search", lambda query, k=5, source=None: PASSAGES[:k])
    return ScriptedChatModel(
        script=[calls(("search_knowledge", {"query": "Trainium2 price", "source": "transcript"})), say(reply)]
    )


def test_model_answer_with_numbered_citations_lists_passages_in_order(monkeypatch) -> None:
    model = _scripted(monkeypatch, 'Dylan Patel (guest) put Trainium2 at "about $3,000 a chip" [1].')
    answer = ask("what did Dylan say about Trainium2's price?", model=model)
    assert [c.chunk_id for c in answer.citations] == ["t-1", "t-2"]
    assert answer.citations[0].speaker == "Dylan Patel (guest)"
    assert answer.warnings == []


def test_model_quote_that_is_not_verbatim_is_flagged(monkeypatch) -> None:
    model = _scripted(monkeypatch, 'Dylan said Trainium2 "costs roughly three grand per chip" [1].')
    answer = ask("what did Dylan say about Trainium2's price?", model=model)
    assert any("not found verbatim" in w and "three grand" in w for w in answer.warnings)
