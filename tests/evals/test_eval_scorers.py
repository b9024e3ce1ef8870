"""Each scorer passes the right answer and fails when it should: a wrong number, a wrong unit,
a missing tool, a missing citation, an invented number."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.answer import Citation
from evals.schema import CitationExpect, FieldExpect, Figure
from evals.scorers import (
    invented_numbers,
    overlap,
    score_behaviour,
    score_citation,
    score_field,
    score_figure,
    score_retrieval,
    score_tools,
)
from evals.units import quantities


def fig(value: float, unit: str = "", rel_tol: float = 0.02) -> Figure:
    return Figure(value=value, unit=unit, rel_tol=rel_tol)


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("OPT-13B needs 800 KiB of KV cache per token.", fig(819200, "B")),
        ("KV cache: 819,200 bytes per token", fig(819200, "B", 0.001)),
        ("about 0.82 MB per token", fig(819200, "B")),
        ("DeepSeek-V3 caches 70,272 B/token", fig(70272, "B", 0.001)),
        ("weights take 141.1 GB", fig(141.1, "GB")),
        ("which is 131.4 GiB", fig(141.1e9, "B")),
        ("decode runs at ~148 tok/s", fig(148.3, "tokens/s")),
        ("Decode tokens/s: 243.6", fig(243.6, "tokens/s")),
        ("about 244 tokens per second", fig(243.6, "tokens/s")),
        ("costs $2.28/hour", fig(2.28, "$/hour")),
        ("costs $1.50 per GPU-hour", fig(1.5, "$/hour")),
        ("$0.12 per million tokens", fig(0.12, "$/M tokens")),
        ("$0.2180/M tokens", fig(0.218, "$/M tokens")),
        ("margin of 30%", fig(30, "%")),
        ("a $47.06 billion build-out", fig(47.06, "$B")),
        ("a $47B build-out", fig(47.06e9, "$")),
        ("about 1,176,470 accelerators", fig(1176470, "accelerators", 0.001)),
        ("about 1.18M accelerators", fig(1176470, "accelerators")),
        ("6.74B parameters", fig(6738415616, "parameters", 0.001)),
        ("1.2k requests fit", fig(1200, "requests")),
        ("728 requests of 2,000 tokens at once", fig(728, "requests", 0.001)),
        ("a 2 GW campus", fig(2000, "MW")),
        ("6x fewer users", fig(6, "x")),
        ("prefill takes 21.9 ms", fig(0.0219, "s")),
        ("3.35 TB/s of bandwidth", fig(3350, "GB/s")),
        ("$4T of capex", fig(4e12, "$")),
    ],
)
def test_figure_found(text: str, figure: Figure) -> None:
    check = score_figure(text, figure)
    assert check.passed, check


@pytest.mark.parametrize(
    ("text", "figure", "why"),
    [
        ("OPT-13B needs 900 KiB per token.", fig(819200, "B"), "wrong number"),
        ("DeepSeek-V3 caches 70,272 KB/token", fig(70272, "B"), "wrong unit (KB for B)"),
        ("weights take 141.1 GiB", fig(141.1, "GB"), "GiB is not GB (7% apart)"),
        ("decode runs at 148 tokens", fig(148.3, "tokens/s"), "a count, not a rate"),
        ("decode takes 148 ms", fig(148.3, "tokens/s"), "a time, not a rate"),
        ("costs $2.28 per million tokens", fig(2.28, "$/hour"), "per token, not per hour"),
        ("costs 2.28 per hour", fig(2.28, "$/hour"), "no currency"),
        ("margin of 30", fig(30, "%"), "no percent sign"),
        ("a 70B model", fig(70, "B"), "70B is 70 billion, not bytes ... but both readings exist"),
        ("728 requests", fig(750, "requests", 0.02), "3% off at 2% tolerance"),
        ("no figures here at all", fig(1, "requests"), "nothing to find"),
    ],
)
def test_figure_fails_when_it_should(text: str, figure: Figure, why: str) -> None:
    if "both readings" in why:
        # "70B" is read as 70 billion and as 70 bytes: documented ambiguity, the bytes reading passes.
        assert score_figure(text, figure).passed
        return
    check = score_figure(text, figure)
    assert not check.passed, why
    assert check.got


def test_gb_and_gib_are_distinct() -> None:
    (gb,) = [q for q in quantities("80 GB") if q.dimension == "bytes"]
    (gib,) = [q for q in quantities("80 GiB") if q.dimension == "bytes"]
    assert gb.value == 80e9 and gib.value == 80 * 2**30


def test_field_scorer_exact_tolerance_and_missing() -> None:
    result = {"bytes_per_token": 819200, "fits": True, "sweep": [{"batch": 1, "tps": 148.27}], "bound": "memory"}
    assert score_field(result, FieldExpect(field="bytes_per_token", value=819200, exact=True)).passed
    assert not score_field(result, FieldExpect(field="bytes_per_token", value=819201, exact=True)).passed
    assert score_field(result, FieldExpect(field="sweep.0.tps", value=148.3, rel_tol=0.01)).passed
    assert not score_field(result, FieldExpect(field="sweep.0.tps", value=160, rel_tol=0.01)).passed
    assert not score_field(result, FieldExpect(field="fits", value=False)).passed
    assert not score_field(result, FieldExpect(field="bound", value="compute")).passed
    missing = score_field(result, FieldExpect(field="no_such", value=1, exact=True))
    assert not missing.passed and "missing" in missing.got
    # A bool is not a number: True must not pass for 1.
    assert not score_field({"x": True}, FieldExpect(field="x", value=1, exact=True)).passed


def test_retrieval_overlap_and_recall() -> None:
    gold = "memory makers have had terrible margins for a decade"
    passages = [
        "unrelated text about power",
        "and the thing is memory makers have had terrible margins for a decade now",
    ]
    assert overlap(gold, passages[1]) == 1.0
    assert score_retrieval(passages, [gold], k=5, min_overlap=0.6).passed
    # The same passage outside the top k is a miss.
    assert not score_retrieval(passages, [gold], k=1, min_overlap=0.6).passed
    # A gold quote split across chunks scores its larger part.
    assert overlap(gold, "terrible margins for a decade") == pytest.approx(5 / 9)
    # An alternate quote counts.
    assert score_retrieval(["HBM is sold out"], [gold, "HBM is sold out"], k=5, min_overlap=0.6).passed


def test_tool_choice_scorer() -> None:
    assert score_tools(["memory_fit", "search_knowledge"], ["memory_fit"]).passed
    check = score_tools(["kv_cache"], ["memory_fit"])
    assert not check.passed and "missing memory_fit" in check.got
    assert not score_tools([], ["throughput"]).passed


def test_citation_scorer_fails_without_citation() -> None:
    exp = CitationExpect(chapter_contains="Memory")
    cite = Citation(text="memory makers...", source="transcript", chapter="Memory and HBM", timestamp="41:02")
    assert score_citation([cite], exp).passed
    assert not score_citation([], exp).passed
    assert not score_citation([cite.model_copy(update={"chapter": "Power"})], exp).passed


def test_behaviour_error_names_field_and_invents_nothing() -> None:
    q = "how many users fit llama-3.1-70b on 8 h900s?"
    good = "error: chip: unknown accelerator 'h900'. Did you mean: h100, h200?"
    assert score_behaviour("error", good, question=q, tool_errors=[], error_field="chip").passed
    invented = "The H900 does not exist, but it would fit about 1,200 users."
    check = score_behaviour("error", invented, question=q, tool_errors=[], error_field="chip")
    assert not check.passed and "invented" in check.got
    no_field = "Sorry, something went wrong."
    assert not score_behaviour("error", no_field, question=q, tool_errors=[], error_field="chip").passed
    answer_only = "It fits 728 users."
    assert not score_behaviour("error", answer_only, question=q, tool_errors=[], error_field=None).passed


def test_behaviour_refuse_and_does_not_fit() -> None:
    q = "what will nvidia's stock price be next year?"
    assert score_behaviour(
        "refuse", "I can't forecast stock prices; no tool computes that.", question=q, tool_errors=[], error_field=None
    ).passed
    assert not score_behaviour("refuse", "It will be $250.", question=q, tool_errors=[], error_field=None).passed
    assert score_behaviour(
        "does_not_fit", "405B in bf16 does not fit on 8xH100.", question="", tool_errors=[], error_field=None
    ).passed
    assert not score_behaviour(
        "does_not_fit", "It fits 12 requests.", question="", tool_errors=[], error_field=None
    ).passed


def test_invented_numbers_ignores_identifiers_and_question_numbers() -> None:
    assert invented_numbers("llama-3.1-70b on 8 x h100 in fp8", ["8 GPUs"]) == []
    assert invented_numbers("needs 42 GPUs", ["8 GPUs"]) == ["42"]


@pytest.mark.parametrize(
    ("text", "value", "dimension"),
    [
        ("TTFT 0.5 s", 0.5, "seconds"),
        ("grows 18%/yr", 18.0, "percent"),
        ("power at 7c/kWh", 0.07, "usd"),
        ("$1.85/GPU-hr", 1.85, "usd_per_hour"),
        ("a margin of -28.3%", 28.3, "percent"),
        ("3 millions", 3e6, "count"),
    ],
)
def test_quantities_come_from_the_one_lexer(text: str, value: float, dimension: str) -> None:
    found = [q for q in quantities(text) if q.dimension == dimension]
    assert found and found[0].value == pytest.approx(value)


def test_every_lexer_unit_has_a_dimension() -> None:
    from evals.units import _FROM_LEXER, BASE_UNIT
    from tools.quantities import UNITS

    assert set(_FROM_LEXER) == set(UNITS)
    assert {dim for dim, _ in _FROM_LEXER.values()} <= set(BASE_UNIT)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_formatted_figure_scores_in_its_dimension(data: st.DataObject) -> None:
    from evals.units import _FROM_LEXER
    from tools.quantities import UNITS, format_quantity

    unit = data.draw(st.sampled_from([u for u in UNITS if u != "year"]))
    value = data.draw(st.floats(0.5, 1000) if unit not in ("fraction", "fraction/year") else st.floats(0.001, 5))
    dimension, factor = _FROM_LEXER[unit]
    found = [q for q in quantities(f"it is {format_quantity(value, unit)} here") if q.dimension == dimension]
    assert found and found[0].value == pytest.approx(value * factor, rel=1e-3)
