"""Follow-ups that rerun the calculation just run with one input changed, through the real ``ask()``.

Every earlier input is kept and only the named one changes (agent.offline.planners.rerun.same_calculation,
agent.offline.restate), a growth series keeps its unit, and 'at that price' after a quote uses the one price
the quoted passages show or asks for it (agent.offline.earlier_figures). Figures are worked by hand below.
"""

from __future__ import annotations

from agent.offline.earlier_figures import that_price
from agent.offline.history import Earlier
from agent.offline.plan_types import Call
from agent.offline.restate import restated


def _args(answer):
    return [(r.name, r.args) for r in answer.tool_calls]


def test_cost_of_capital_follow_up_keeps_the_own_cost_model(chat):
    chat(
        "cost per hour to own a $20k accelerator over 3 years straight-line, 0.9 kW, PUE 1.2, 10c/kWh, no networking, maintenance or facility?"
    )
    answer = chat("now at a 9% cost of capital")
    tco = [a for n, a in _args(answer) if n == "tco"][0]
    assert tco["capex_per_accelerator"] == 20000 and tco["years"] == 3 and tco["power_kw"] == 0.9
    assert tco["pue"] == 1.2 and tco["electricity"] == 0.1 and tco["cost_of_capital"] == 0.09
    assert "chip" not in tco  # no catalog chip's price or power slips in
    # 20,000 x CRF(9%, 3) 0.395055 = 7,901.1 + 0.9 x 1.2 x 8760 x 0.10 = 946.08 -> 8,847.2 / 8760 = $1.01/hour
    assert "$1.01" in answer.answer


def test_buildout_follow_up_keeps_the_all_in_kw(chat):
    chat("How many accelerators fit in 2 GW at 1.25 kW all-in each?")
    answer = chat("and for 3 GW?")
    assert _args(answer)[0][1]["kw_all_in"] == 1.25 and _args(answer)[0][1]["gw"] == 3
    assert "2,400,000" in answer.answer  # 3e9 W / 1,250 W


def test_cost_per_query_after_a_serving_cost_reruns_that_serving_cost(chat):
    chat("serving cost: $3/hr per gpu, 4 GPUs, 64 streams at 30 tok/s, $/Mtok?")
    answer = chat("same setup but answers are 2,000 tokens - cost per query?")
    assert _args(answer) == [
        (
            "serving_cost",
            {
                "price_per_accelerator_hour": 3.0,
                "accelerators_per_replica": 4,
                "concurrent_streams": 64,
                "tokens_per_s_per_stream": 30.0,
                "output_tokens_per_query": 2000,
            },
        )
    ]
    # $12/h replica; 1,920 tok/s; 3,456 queries/h -> $0.00347 per query
    assert "$0.00347 per query" in answer.answer


def test_size_in_gib_after_a_kv_cache_is_that_kv_cache_again(chat):
    chat("kv cache per token for llama 3.1 70b, bf16")
    answer = chat("how much for 16 concurrent 32,768-token sequences, in GiB?")
    kv = _args(answer)[0]
    assert kv[0] == "kv_cache" and kv[1]["batch"] == 16 and kv[1]["context"] == 32768
    assert "160 GiB" in answer.answer.replace(".00 GiB", " GiB")  # 327,680 x 32,768 x 16 B


def test_pue_were_reads_as_a_pue(chat):
    chat("1.5 GW campus, PUE 1.4, 1.2 kW per GPU IT: how many GPUs?")
    answer = chat("what if PUE were 1.2 instead?")
    assert _args(answer)[0][1]["pue"] == 1.2 and _args(answer)[0][1]["power_kw"] == 1.2
    assert "1,041,666" in answer.answer  # 1,500 MW / 1.2 / 1.2 kW


def test_growth_follow_up_keeps_dollars(chat):
    chat("$150B in 2024 growing 25% a year - value in 2028?")
    answer = chat("and if it grows 10%?")
    assert "**2028: $219.62 billion**" in answer.answer  # 150 x 1.1^4 = 219.615


def test_bandwidth_follow_up_on_spelled_out_roofline(chat):
    chat("throughput ceiling: 40 GB of weights on one 3.2 TB/s GPU, batch 1, bandwidth bound")
    answer = chat("what about on a 6 TB/s chip?")
    assert "150 tokens/s" in answer.answer  # 6e12 / 40e9
    assert "3.2 TB/s -> 6 TB/s" in answer.answer


def test_restate_swaps_the_chip_and_drops_its_own_bandwidth():
    text, changed = restated("decode ceiling: 16 GB of weights on one H100 (3.35 TB/s), batch 1", "same on H200")
    assert text == "decode ceiling: 16 GB of weights on one H200, batch 1"
    assert changed == ["H100 -> H200"]


def test_restate_declines_when_the_unit_is_ambiguous_or_absent():
    assert restated("2 GPUs at 1 TB/s and 2 TB/s", "what about 3 TB/s?") is None
    assert restated("70 GB of weights on a 4.8 TB/s GPU", "and for llama 3.1 8b?") is None


def _quote(reply: str) -> list[Earlier]:
    return [Earlier("what did he say chips cost?", [Call("search_knowledge", {"query": "chip price"})], reply)]


def test_that_price_uses_the_one_quoted_price():
    earlier = _quote(
        "**What was said**:\n\n> [1] you pay maybe $12,000 per chip for those.\n>\n> — Some podcast, ~3:10"
    )
    question, price, reply = that_price("for 50,000 chips at that price, the chip bill?", earlier)
    assert reply is None and price == "$12,000 per chip"
    assert question == "for 50,000 chips at $12,000 per chip, the chip bill?"


def test_that_price_asks_when_the_quote_shows_none_or_several():
    none = _quote("> [1] rental prices are tanking, right?\n>\n> — Some podcast, ~1:00")
    assert "shows no price" in (that_price("ok at that price, $/Mtok at 2,000 tok/s?", none)[2] or "")
    several = _quote("> [1] not $30,000 per chip like the GPU, more like $8,000 per chip.")
    reply = that_price("100 chips at that price?", several)[2] or ""
    assert "more than one price" in reply and "$8,000 per chip" in reply


def test_that_price_after_a_calculation_is_left_to_the_rerun():
    earlier = [Earlier("tco for h100 at $30k", [Call("tco", {"chip": ["h100"]})], "> $30,000 per chip")]
    assert that_price("and 16 of them at that price?", earlier) == (None, "", None)


def test_how_many_for_the_price_of_one_divides_by_the_quoted_price():
    from agent.offline.earlier_figures import price_ratio

    earlier = _quote("> [1] a GPU is north of $30,000 per chip, and this thing is $6,000 per chip, right?")
    calls, labels, reply = price_ratio("so how many of those for the price of one $30k GPU?", earlier)
    assert reply is None and [c.args["expression"] for c in calls] == ["30000 / 6000"]
    assert labels["30000 / 6000"][1] == "x"


def test_how_many_for_the_price_of_one_asks_without_one_other_price():
    from agent.offline.earlier_figures import price_ratio

    earlier = _quote("> [1] it is much cheaper than a GPU, right?")
    calls, _, reply = price_ratio("how many TPUs for the price of one $25k GPU?", earlier)
    assert calls == [] and reply is not None and "no other price" in reply


def test_figure_the_last_answer_showed_reruns_that_calculation(chat):
    chat("project $100B of spend growing 10% a year for 3 years")
    answer = chat("what's the cumulative, start year included?")
    assert _args(answer) == [("growth", {"base": "100e9", "rate": [0.1], "years": 3})]
    assert "cumulative $464.10 billion" in answer.answer  # 100 x (1 + 1.1 + 1.21 + 1.331)


def test_a_question_naming_nothing_the_last_answer_showed_is_not_a_rerun(chat):
    chat("project $100B of spend growing 10% a year for 3 years")
    answer = chat("what's the weather tomorrow?")
    assert answer.tool_calls == []


def test_a_new_input_is_added_to_a_spelled_out_question(chat):
    chat("decode ceiling: 120 GB of weights on one 3 TB/s GPU, batch 1")
    answer = chat("and with 75% bandwidth efficiency?")
    assert "18.75 tokens/s" in answer.answer  # 3e12 x 0.75 / 120e9


def test_an_input_no_restated_calculation_takes_is_not_silently_dropped(chat):
    chat("decode ceiling: 120 GB of weights on one 3 TB/s GPU, batch 1")
    answer = chat("and at 9c/kWh?")
    assert "Bandwidth-bound decode" not in answer.answer and answer.tool_calls == []


def test_straight_line_follow_up_sets_cost_of_capital_to_zero(chat):
    chat("what does a $20k GPU cost per hour over 4 years at 10% cost of capital, 0.8 kW, PUE 1.2, 9c/kWh?")
    answer = chat("and straight-line instead?")
    tco = _args(answer)[0][1]
    assert tco["cost_of_capital"] == 0 and tco["capex_per_accelerator"] == 20000 and tco["years"] == 4


def test_a_cued_plain_number_changes_a_serving_input(chat):
    chat("serving: $2/hr per GPU, 4 GPUs, 80 streams at 25 tok/s - $/Mtok?")
    answer = chat("what if streams drop to 40?")
    assert _args(answer)[0][1]["concurrent_streams"] == 40 and _args(answer)[0][1]["price_per_accelerator_hour"] == 2
    assert "$2.22 per million tokens" in answer.answer  # $8/h over 1,000 tok/s x 3,600 s = 3.6 Mtok/h


def test_a_bare_rate_after_a_growth_series_is_its_rate(chat):
    chat("$50B in 2025 growing 50% a year - value in 2028?")
    answer = chat("and at 20%?")
    assert _args(answer) == [("growth", {"base": "2025=50000000000", "rate": [0.2], "through": 2028})]
    assert "**2028: $86.40 billion**" in answer.answer  # 50 x 1.2^3


def test_a_bare_fraction_that_could_be_several_cost_inputs_changes_none(chat):
    chat(
        "what does a $20k GPU cost per hour over 4 years at 10% cost of capital, 0.8 kW, PUE 1.2, 9c/kWh, 70% utilization?"
    )
    answer = chat("and at 50%?")
    assert all(a.get("cost_of_capital") != 0.5 and a.get("utilization") != 0.5 for _, a in _args(answer))


def test_a_price_follow_up_after_a_build_out_prices_that_build_out(chat):
    chat("how many accelerators in a 500 MW site at pue 1.25 and 1.6 kW each all-in?")
    answer = chat("ok and at $38k a gpu, what's the hardware bill?")
    (call,) = [c for c in answer.tool_calls if c.name in ("buildout", "tco")]
    assert call.name == "buildout"  # not a fresh cost of owning the catalog's default chip
    assert call.args["capex_per_accelerator"] == 38_000 and call.args["power_kw"] == 1.6
    # 500 MW / 1.25 = 400 MW IT / 1.6 kW = 250,000 accelerators x $38,000 = $9.5 billion
    assert "$9.50 billion IT" in answer.answer


def test_a_capex_year_follow_up_compares_with_the_earlier_year(chat):
    chat("alphabet capex in 2024?")
    answer = chat("how much did it grow vs 2021?")
    calcs = [c.result for c in answer.tool_calls if c.name == "calculate" and c.result]
    assert calcs, "the change is computed, not left to the reader"
    assert "2024" in answer.answer and "2021" in answer.answer and "% of 2021" in answer.answer
