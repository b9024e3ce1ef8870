"""The fit calculator's section and leads: the fit, the fp8 fit beside a failed default-format one, the
fewest accelerators that hold the model."""

from __future__ import annotations

from typing import Any

from agent.offline.plan_types import Call
from agent.offline.writers.content import result
from agent.render.figures import nbytes, num


def memory_fit_section(data: dict[str, Any]) -> list[str]:
    r = result("memory_fit", data)
    inp = r.inputs
    head = (
        f"**Fit, {r.model} on {num(r.gpus)} x {r.chip}** ({inp.get('weights_dtype')} weights, "
        f"KV in {inp.get('kv_dtype')}, prompt {num(inp.get('prompt', 0))} + output {num(inp.get('output', 0))} tokens):"
    )
    lines = [head, r.verdict]
    if r.fits:
        lines += [
            f"- concurrent requests, each reserving its full length: **{num(r.max_concurrent_sequences)} requests**",
            f"- time-averaged under continuous batching: **about {num(r.avg_concurrent_sequences)} requests**",
            f"- weights {nbytes(r.weights_bytes)} ({nbytes(r.weights_bytes_per_gpu)} per accelerator); "
            f"KV per request at full length {nbytes(r.kv_bytes_per_sequence_peak)}; KV budget {nbytes(r.kv_budget_bytes)} "
            f"({num(r.kv_tokens_capacity)} tokens)",
        ]
        lines += _batch_line(r)
        lines += _convention_lines(r)
    else:
        lines.append(
            f"- weights {nbytes(r.weights_bytes)}, usable memory {nbytes(r.usable_bytes_per_gpu)} per accelerator"
        )
        if r.min_accelerators:
            lines.append(
                f"- smallest setup that holds one full-length request: **{num(r.min_accelerators)} accelerators** "
                f"({num(r.min_accelerators_power_of_two)} as a tensor-parallel group)"
            )
        else:  # the calculator reports 0 when no tensor-parallel group holds one request (its verdict says why)
            lines.append("- no number of these accelerators holds one full-length request (see the verdict above)")
    return lines


def _convention_lines(r: Any) -> list[str]:
    """The question fixed no capacity convention: what the other readings of the memory give (the headline uses
    GiB x gpu_mem_util, vLLM's default)."""
    if not r.other_conventions:
        return []
    parts = [
        f"{c.label}: {num(c.max_concurrent_sequences)} requests, {nbytes(c.free_after_weights_bytes)} free after "
        "the weights"
        if c.max_concurrent_sequences is not None
        else f"{c.label}: {nbytes(c.free_after_weights_bytes)} free after the weights"
        for c in r.other_conventions
    ]
    return [
        f"- the figures above use {r.inputs.get('gpu_mem_util'):g} of the memory (vLLM's default gpu_mem_util); "
        "other conventions: " + "; ".join(parts)
    ]


def _batch_line(r: Any) -> list[str]:
    """The requested batch: the memory left after it, or how far short it falls and the largest batch that fits."""
    if r.batch <= 1:
        return []
    if r.batch_fits:
        return [f"- with a batch of {num(r.batch)}: **{nbytes(r.headroom_bytes)} headroom** left on the replica"]
    return [
        f"- a batch of {num(r.batch)} does not fit: {nbytes(-r.headroom_bytes)} short; the largest batch that fits "
        f"is **{num(r.largest_batch_that_fits)}**"
    ]


def fit_lead(r: dict[str, Any]) -> list[str]:
    if not r.get("fits"):
        return []  # the fp8 rerun or the section says what does fit
    return [
        f"**Fit: {num(r['max_concurrent_sequences'])} requests at once** (about {num(r['avg_concurrent_sequences'])} "
        f"time-averaged) for {r['model']} on {num(r['gpus'])} x {r['chip']}"
    ]


def fp8_fit_leads(ok: list[tuple[Call, dict[str, Any]]]) -> list[str]:
    """A fit that failed in the default format, beside the same fit at fp8 (agent.offline.rounds)."""
    fits = [(c, r) for c, r in ok if c.name == "memory_fit"]
    out = []
    for call, r in fits:
        if r.get("fits") is not False or "weights_dtype" in call.args:
            continue
        fp8 = next((r2 for c2, r2 in fits if c2.args == {**call.args, "weights_dtype": "fp8"}), None)
        fmt = (r.get("inputs") or {}).get("weights_dtype")
        if fp8 is None:
            continue
        if fp8.get("fits"):
            out.append(
                f"**Does not fit in {fmt} (the default weight format); at fp8 it fits "
                f"{num(fp8['max_concurrent_sequences'])} requests peak / about {num(fp8['avg_concurrent_sequences'])} time-averaged** "
                f"on {num(fp8['gpus'])} x {fp8['chip']}."
            )
        else:
            out.append(
                f"**Does not fit in {fmt} (the default weight format), nor at fp8**: at least "
                f"{num(fp8['min_accelerators'])} accelerators are needed at fp8."
                if fp8.get("min_accelerators")
                else f"**Does not fit in {fmt} (the default weight format), nor at fp8**: no number of these accelerators holds one request."
            )
    return out


def min_leads(ok: list[tuple[Call, dict[str, Any]]]) -> list[str]:
    """'How many H100s do I need': the fewest accelerators holding the weights and one full request."""
    out = []
    for call, r in ok:
        if call.name != "memory_fit" or not r.get("min_accelerators"):
            continue
        inp = r.get("inputs") or {}
        tokens = (inp.get("prompt") or 0) + (inp.get("output") or 0)
        given = "given" if "gpus" in call.args else "of the calculator's default server"
        here = (
            f"; on the {num(r['gpus'])} {given}, {num(r['max_concurrent_sequences'])} such requests fit at once"
            if r.get("fits")
            else f"; the {num(r['gpus'])} {given} are not enough"
        )
        out.append(
            f"**At least {num(r['min_accelerators'])} x {r['chip']}** hold {r['model']} in {inp.get('weights_dtype')} "
            f"({nbytes(r['weights_bytes'])} of weights) with one {num(tokens)}-token request "
            f"({num(r['min_accelerators_power_of_two'])} as a tensor-parallel group){here}."
        )
    return out
