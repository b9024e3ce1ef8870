"""The extractive answer (sentences copied, cited, speaker named), 'nothing close', and the quote check."""

from __future__ import annotations

from knowledge.extract import answer_line, extract, nothing_close
from knowledge.quotes import quotes, unverified_quotes
from knowledge.search import search

NAMES = ("Dylan Patel", "Bill Gurley", "Brad Gerstner")


def _passages(texts: list[str]) -> list[dict]:
    return [{"text": t, "chunk_id": f"notes-1@{i}", "speaker": None} for i, t in enumerate(texts)]


def test_best_sentence_is_copied_with_its_citation_number() -> None:
    passages = _passages(
        [
            "The weather was fine. Nobody talked about chips at lunch today at all.",
            "Right. Gross margins on HBM have not been fantastic this cycle, they said. Prices rose anyway in the quarter.",
        ]
    )
    got = extract("HBM gross margins", passages, refs=[3, 5])
    assert [s.text for s in got] == ["Gross margins on HBM have not been fantastic this cycle, they said."]
    assert got[0].ref == 5
    assert answer_line(got) == '"Gross margins on HBM have not been fantastic this cycle, they said." [5]'


def test_second_sentence_only_when_it_adds_a_query_term() -> None:
    passages = _passages(
        [
            "Trainium2 price per chip is far below the H100 list price. It is a cheaper chip overall.",
            "Trainium2 memory bandwidth per dollar is high for its class. Something unrelated here follows.",
        ]
    )
    got = extract("Trainium2 price and memory bandwidth", passages)
    assert len(got) == 2 and {s.ref for s in got} == {1, 2}


def test_short_remarks_are_skipped_and_answers_beat_questions() -> None:
    passages = _passages(
        [
            "HBM margins? Right. What about HBM margins next year for everyone involved?",
            "Yeah. HBM margins were thin for the whole of last year.",
        ]
    )
    got = extract("HBM margins", passages)
    assert [s.text for s in got] == ["HBM margins were thin for the whole of last year."]
    # a question asking what a host asked keeps the host's question first
    assert extract("HBM margins", passages, wanted=("host", None))[0].text.endswith("?")


def test_nothing_close_when_no_passage_shares_a_word() -> None:
    passages = _passages(["Gross margins on HBM have not been fantastic."])
    assert nothing_close("banana bread recipe", passages)
    assert not nothing_close("what did Dylan say about HBM", passages, NAMES)
    assert nothing_close("anything", [])


def test_extract_names_the_speaker_on_the_bundled_transcript(knowledge_store) -> None:
    passages = [p.model_dump() for p in search("HBM margins", k=3, source="transcript", speaker="guest")]
    got = extract("HBM margins", passages, wanted=("guest", "Dylan Patel"), names=NAMES)
    assert got and got[0].speaker == "Dylan Patel (guest)"
    source = passages[got[0].ref - 1]["text"]
    assert " ".join(got[0].text.split()) in " ".join(source.split())  # copied, never written


def test_quotes_are_checked_word_for_word() -> None:
    passages = [
        "And I think another thing to point out is funnily enough, the gross margins on HBM have not been fantastic."
    ]
    ok = 'Dylan: "the gross margins on HBM have not been fantastic." [1]'
    assert quotes(ok) == ["the gross margins on HBM have not been fantastic."]
    assert unverified_quotes(ok, passages) == []
    assert unverified_quotes("He said “…another thing to point out is funnily enough…”", passages) == []
    assert unverified_quotes('He said "the margins on HBM were fantastic".', passages) == [
        "the margins on HBM were fantastic"
    ]
    assert unverified_quotes('A "two word" quote is not checked.', passages) == []


def test_one_verdict_for_the_search_and_the_writer(knowledge_store) -> None:
    """Nothing close: the search returns no passages and a statement, and the writer's check agrees."""
    from knowledge.search import search_checked
    from knowledge.tool import SearchKnowledgeInput, search_knowledge
    from knowledge.verdict import NOTHING_CLOSE

    passages, verdict = search_checked("what did brad say about stargate")
    assert passages == [] and not verdict.close and verdict.statement.startswith(NOTHING_CLOSE)
    assert verdict.terms == ("stargat",)  # the speaker's name and the frame words are not what it is about
    result = search_knowledge(SearchKnowledgeInput(query="what did brad say about stargate"))
    assert result.passages == [] and result.verdict == "nothing close" and result.statement
    passages, verdict = search_checked("what did dylan say about HBM margins")
    assert passages and verdict.close and verdict.speaker_says_it is True
    assert not nothing_close("what did dylan say about HBM margins", [p.model_dump() for p in passages], NAMES)
    _, verdict = search_checked("what did bill say about HBM")
    assert verdict.close and verdict.speaker_says_it is False  # the guest talks about HBM; Bill does not
    passages, verdict = search_checked("what does alphabet run its search on")  # thesaurus: alphabet -> Google
    assert verdict.close and "googl" in verdict.matched
