"""The speed calculator's section and leads: the decode speed, TTFT and time per token, and the speeds not
given because their deployment does not fit."""

from __future__ import annotations

from typing import Any

from agent.offline.plan_types import Call, Plan
from agent.offline.writers.content import result
from agent.render.figures import num


def throughput_section(data: dict[str, Any]) -> list[str]:
    r = result("throughput", data)
    inp = r.inputs
    head = (
        f"**Speed, {r.model} on {num(r.gpus)} x {r.chip}** ({inp.get('weights_dtype')} weights, batch "
        f"{num(r.batch)}, prompt {num(inp.get('prompt', 0))} + output {num(inp.get('output', 0))} tokens):"
    )
    return [
        head,
        f"- decode: **{num(r.decode_tokens_per_s)} tokens/s** for the deployment "
        f"({num(r.decode_tokens_per_s_per_accelerator)} tokens/s per accelerator, "
        f"{num(r.tokens_per_s_per_user)} tokens/s per user), {r.bound}-bound at the final length",
        f"- at the average length: {num(r.decode_tokens_per_s_avg_length)} tokens/s",
        f"- time to first token: {num(r.ttft_s)} s; whole request: {num(r.request_latency_s)} s",
        f"- textbook ceiling at batch 1 (datasheet {num(r.bandwidth_tbps)} TB/s x {num(r.gpus)} / weights read per "
        f"token, no KV, no efficiency): **{num(r.weights_ceiling_tokens_per_s)} tokens/s**",
    ]


def speed_lead(r: dict[str, Any]) -> list[str]:
    return [
        f"**Speed: {num(r['decode_tokens_per_s'])} tokens/s** decode for {r['model']} on {num(r['gpus'])} x {r['chip']} "
        f"at batch {num(r['batch'])} ({num(r['tokens_per_s_per_user'])} tokens/s per user)"
    ]


def latency_leads(plan: Plan, ok: list[tuple[Call, dict[str, Any]]]) -> list[str]:
    """'TTFT for a 32k prompt', 'latency per token', 'the bs1 decode ceiling': the figure asked for, from the
    throughput result."""
    out = []
    for call, r in ok:
        if call.name != "throughput":
            continue
        where = f"{r['model']} on {num(r['gpus'])} x {r['chip']}, batch {num(r['batch'])}"
        if "ceiling" in plan.focus and r.get("weights_ceiling_tokens_per_s"):
            weights = (r.get("inputs") or {}).get("weights_dtype")
            out.append(
                f"**Decode ceiling at batch 1: {num(r['weights_ceiling_tokens_per_s'])} tokens/s** per sequence for "
                f"{r['model']} ({weights} weights) on {num(r['gpus'])} x {r['chip']}: datasheet bandwidth / weights read "
                f"per token (no KV read, no efficiency loss); the calculator's estimate with those is "
                f"{num(r['tokens_per_s_per_user'])} tokens/s per user"
            )
        if "ttft" in plan.focus and r.get("ttft_s") is not None:
            prompt = (r.get("inputs") or {}).get("prompt")
            out.append(f"**Time to first token: {num(r['ttft_s'])} s** for a {num(prompt)}-token prompt ({where})")
        if "token_latency" in plan.focus and r.get("decode_tokens_per_s"):
            if r.get("step_time_s") is not None:  # one decode step gives every sequence in the batch one token
                out.append(
                    f"**Time per output token: {num(r['step_time_s'] * 1000)} ms** per user at the final length, "
                    f"{num(r['tokens_per_s_per_user'])} tokens/s per user ({where})"
                )
    return out


def blocked_speed_leads(plan: Plan, calls: list[tuple[Call, Any]]) -> list[str]:
    """Speeds not computed because the deployment does not fit: what fails, and what would fit instead."""
    from agent.offline.rounds import speed_fits

    out = []
    for speed, fit in speed_fits(plan, calls)[1]:
        where = f"{fit.get('model')} on {num(fit.get('gpus'))} x {fit.get('chip')}"
        if not fit.get("fits"):
            tp = fit.get("min_accelerators_power_of_two")
            instead = (
                f"; at least {num(fit['min_accelerators'])} accelerators are needed ({num(tp)} as a tensor-parallel group), "
                f"so ask for the speed on {num(tp)}"
                if fit.get("min_accelerators")
                else ""
            )
            out.append(f"**{where} does not fit, so there is no decode speed to give**{instead}.")
        else:
            out.append(
                f"**A batch of {num(fit.get('batch'))} does not fit on {where}, so there is no decode speed at that batch**; "
                f"the largest batch that fits is {num(fit.get('largest_batch_that_fits'))}."
            )
    return out
