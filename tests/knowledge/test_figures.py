"""Figure questions about a passage: the kinds asked for, the figures of a sentence, and the extractive answer
that quotes the sentence holding the asked figure (and the alternative figure that follows it)."""

from __future__ import annotations

from knowledge.extract import extract
from knowledge.figures import asked_kinds, figures, glosses


def test_asked_kinds_read_the_figure_a_question_wants() -> None:
    assert asked_kinds("what percentage of the GPU fleet did she say sits idle?") == ("%",)
    assert asked_kinds("how many racks did the speaker say fit in the hall?") == ("count",)
    assert "$" in asked_kinds("what did the guest say a B200 rents for per hour, and what does that box cost?")
    assert asked_kinds("how much cheaper did he say the distilled model is?") == ("x",)
    assert asked_kinds("what did she say about memory pricing?") == ()  # a topic, not a figure
    assert asked_kinds("if it grew 40% a year, what did he say about revenue?") == ()  # its own 40% is not asked


def test_figures_of_a_sentence_with_their_kinds() -> None:
    kinds = [(f.text, f.kind) for f in figures("They run Qwen 72B on a five gigawatt site at 45% margins, 3x cheaper.")]
    assert ("45%", "%") in kinds and ("3x", "x") in kinds and ("five gigawatt", "power") in kinds
    assert not any(text == "72B" for text, _ in kinds)  # a model size after its family name is a name
    assert [f.value for f in figures("they want to push it, not 3X every two years, but 4X a year")] == [4]
    assert glosses("we pay like three bucks for it") == ["three bucks = $3"]
    assert glosses("somewhere between 20 to 35% of it, 3 to 4 times faster") == [
        "20 to 35% = 20% to 35%",
        "3 to 4 times = 3x to 4x",
    ]


def _passage(text: str, chunk: str = "note@1") -> dict[str, str]:
    return {"text": text, "chunk_id": chunk}


def test_the_sentence_with_the_asked_figure_leads_over_a_topical_one() -> None:
    passages = [
        _passage(
            "Inference clusters matter a lot for every hyperscaler today. "
            "Which share of inference clusters run on custom silicon? "
            "I would say about 35% if you leave out the search giant. "
            "Counting the search giant it is more like 60, honestly. "
            "Anyway clusters keep growing."
        )
    ]
    said = extract("share of inference clusters custom silicon", passages, kinds=("%",))
    text = " ".join(s.text for s in said)
    assert "35%" in text and "more like 60" in text  # the figure and its alternative, in order
    plain = extract("share of inference clusters custom silicon", passages)
    assert "35%" not in " ".join(s.text for s in plain)  # without the figure reading the topical sentence won


def test_a_question_with_two_kinds_gets_a_sentence_for_each() -> None:
    passages = [
        _passage(
            "You can put roughly 128 chats on a single MI300X box for the 70B model, right? "
            "Like, you know, a $250,000 box or thereabouts. "
            "Then the chats get longer and it falls apart."
        )
    ]
    said = extract("chats on a single MI300X box 70B model box cost", passages, kinds=("$", "count"))
    text = " ".join(s.text for s in said)
    assert "128 chats" in text and "$250,000" in text
