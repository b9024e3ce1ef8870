"""Cost adders the analyst leaves out ("ignore networking, maintenance and facility capex") reach tco's fields or
are listed as not used; a quote question that asks for arithmetic the plan cannot do says so."""

from __future__ import annotations

from agent.ask import ask
from agent.input_accounting import stated_quantities, unused_inputs
from agent.offline.plan import make_plan
from agent.offline.quote_compute import UNCOMPUTED, uncomputed_note
from agent.offline.slots import fill

QUESTION = (
    "$280k 8-GPU H100 server, 10.2 kW per server, PUE 1.25, 7c/kWh, 5 yrs straight-line, "
    "ignore networking, maintenance and facility capex - $/GPU-hr?"
)


def test_left_out_adders_fill_the_fields() -> None:
    args = fill("tco", QUESTION, stated_quantities(QUESTION))
    assert args["networking_fraction"] == 0.0 and args["maintenance"] == 0.0 and args["facility"] == "none"
    assert fill("tco", "no networking/maintenance, 5 yrs", stated_quantities("5 yrs"))["maintenance"] == 0.0
    stated = "networking 12% of capex"  # a stated share, not an exclusion: read as the share
    assert fill("tco", stated, stated_quantities(stated))["networking_fraction"] == 0.12


def test_left_out_adders_are_an_input_when_no_call_carries_them() -> None:
    unused = unused_inputs(QUESTION, [{"chip": ["h100"], "server_price": [280_000], "gpus_per_server": 8}], "")
    assert any("networking" in u for u in unused) and any("maint" in u for u in unused)


def test_the_cost_uses_only_the_costs_given() -> None:
    # 280,000 / 8 / 5 = 7,000 per year; 1.275 kW x 1.25 x 8,760 h x $0.07 = 977.29 per year; / 8,760 h = 0.9107
    answer = ask(QUESTION, model="offline")
    assert "$0.911 per accelerator-hour" in answer.answer
    assert answer.unused_inputs == []


def test_quote_with_arithmetic_it_cannot_do_says_so() -> None:
    question = (
        "dylan on reasoning models: how many fewer users, and combined with 10x the tokens, what's the cost multiple?"
    )
    plan = make_plan(question)
    assert {c.name for c in plan.calls} == {"search_knowledge"}
    assert UNCOMPUTED in plan.notes
    assert uncomputed_note("what did dylan say about HBM margins?", ["search_knowledge"]) is None
    assert uncomputed_note(question, ["search_knowledge", "calculate"]) is None
