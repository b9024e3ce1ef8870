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
    shape = (
        "weights only, no KV cache"
        if inp.get("weights_only")
        else f"KV in {inp.get('kv_dtype')}, prompt {num(inp.get('prompt', 0))} + output {num(inp.get('output', 0))} tokens"
    )
    head = f"**Fit, {r.model} on {num(r.gpus)} x {r.chip}** ({inp.get('weights_dtype')} weights, {shape}):"
    lines = [head, r.verdict]
    if inp.get("weights_only"):
        return lines + _weights_only_lines(r) + _memory_lines(r) + _convention_lines(r)
    if r.fits:
        lines += [
            f"- concurrent requests, each reserving its full length: **{num(r.max_concurrent_sequences)} requests**",
            f"- time-averaged under continuous batching: **about {num(r.avg_concurrent_sequences)} requests**",
            *_pooled_line(r),
            *_batch_line(r),
            *_memory_lines(r),
            *_convention_lines(r),
            _kv_line(r),
            *_bf16_kv_line(r),
        ]
        return lines
    lines += _memory_lines(r)
    if r.min_accelerators:
        lines.append(
            f"- smallest setup that holds one full-length request: **{num(r.min_accelerators)} accelerators** "
            f"({num(r.min_accelerators_power_of_two)} as a tensor-parallel group)"
        )
    else:  # the calculator reports 0 when no tensor-parallel group holds one request (its verdict says why)
        lines.append("- no number of these accelerators holds one full-length request (see the verdict above)")
    return lines + _convention_lines(r)


def _memory_lines(r: Any) -> list[str]:
    """The memory the analyst checks: capacity over all accelerators, the usable part, the weights, and what is
    left after them (free = usable - weights, over all accelerators; negative: short)."""
    inp = r.inputs
    util, kept, held = inp.get("gpu_mem_util", 1.0), inp.get("reserve_frac") or 0.0, inp.get("reserve_gb") or 0.0
    terms = [f"{util:.0%}"] if util < 1 or not kept else []
    terms += [f"{kept:.0%} kept free"] if kept else []
    terms += [f"less {held:g} GiB each"] if held else []
    usable = f"usable {nbytes(r.usable_bytes_total)} ({', '.join(terms)})"
    per_gpu = nbytes(r.capacity_bytes_per_gpu)
    if inp.get("capacity_unit") == "GiB" and inp.get("capacity_gb") is None:
        per_gpu = f"{r.capacity_bytes_per_gpu / 2**30:g} GiB"
    left = r.kv_budget_bytes
    after = f"free after the weights **{nbytes(left)}**" if left >= 0 else f"short by **{nbytes(-left)}**"
    return [
        f"- memory {num(r.gpus)} x {per_gpu} = {nbytes(r.capacity_bytes_total)}, {usable}; weights {nbytes(r.weights_bytes)}; {after}"
    ]


def _kv_line(r: Any) -> str:
    """KV of one token and of one full-length request (one copy), and what the replica holds over its GPUs."""
    copies = r.kv_bytes_per_sequence_peak
    held = f" ({nbytes(copies)} with its copies)" if copies != r.kv_bytes_per_sequence_one_copy else ""
    return (
        f"- KV {num(r.kv_bytes_per_token)} bytes per token, {nbytes(r.kv_bytes_per_sequence_one_copy)}{held} per "
        f"full-length request; room for {num(r.kv_tokens_capacity)} tokens"
    )


def _bf16_kv_line(r: Any) -> list[str]:
    """The KV format was read from 8-bit weights (none given): the count with a bf16 cache beside it."""
    if r.max_concurrent_sequences_kv_bf16 is None:
        return []
    return [
        f"- with a bf16 KV cache (none given; read as {r.inputs.get('kv_dtype')} like the weights): "
        f"**{num(r.max_concurrent_sequences_kv_bf16)} requests**"
    ]


def _pooled_line(r: Any) -> list[str]:
    """MLA on several GPUs: the count with the latent cache kept once across them, beside the replicated one."""
    if r.max_concurrent_sequences_mla_pooled is None:
        return []
    return [
        f"- MLA cache kept once across the {num(r.gpus)} GPUs, not on each as above: "
        f"**{num(r.max_concurrent_sequences_mla_pooled)} requests**"
    ]


def _weights_only_lines(r: Any) -> list[str]:
    """A weights-only fit: the accelerators that hold the weights (no KV cache)."""
    return [
        f"- accelerators needed just to hold the weights: **{num(r.min_accelerators_weights_only)}** "
        f"({num(r.weights_only_tp_group)} as a tensor-parallel group)",
    ]


def _convention_lines(r: Any) -> list[str]:
    """The question left a memory convention open: what the other readings give (the figures above read the
    marketed size as GiB at vLLM's default gpu_mem_util, or at the analyst's stated share), one bullet each,
    counts before byte figures."""
    out = []
    for c in r.other_conventions:
        counts = []
        if c.max_concurrent_sequences is not None:
            pooled = c.max_concurrent_sequences_pooled
            mla = f" ({num(pooled)} with the MLA cache kept once across the GPUs)" if pooled is not None else ""
            counts.append(f"{num(c.max_concurrent_sequences)} requests{mla}")
        if c.max_concurrent_sequences is None or c.free_after_weights_bytes < 0:
            counts.append(f"{num(c.min_accelerators_weights_only)} accelerators just for the weights")
        free = c.free_after_weights_bytes
        after = f"{nbytes(free)} free after the weights" if free >= 0 else f"short by {nbytes(-free)}"
        usable = f", usable {nbytes(c.usable_bytes)}" if c.usable_bytes != c.capacity_bytes else ""
        out.append(f"- if {c.label}: {'; '.join(counts)}; {nbytes(c.capacity_bytes)}{usable}, {after}")
    return out


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


def kv_tokens_leads(focus: list[str], ok: list[tuple[Call, dict[str, Any]]]) -> list[str]:
    """ "Max total tokens of KV I can hold" (``kv_tokens`` in ``focus``): the KV budget in tokens, kv_budget / KV
    per token (per GPU, with the copies tensor parallel keeps), for each fit that has room."""
    out: list[str] = []
    if "kv_tokens" not in focus:
        return out
    for call, r in ok:
        if call.name != "memory_fit" or r.get("weights_only") or (r.get("kv_tokens_capacity") or 0) <= 0:
            continue
        out.append(
            f"**Room for {num(r['kv_tokens_capacity'])} tokens of KV** in total ({nbytes(r['kv_budget_bytes'])} free "
            f"after the weights, {num(r.get('kv_bytes_per_token', 0))} bytes per token) for {r['model']} on "
            f"{num(r['gpus'])} x {r['chip']}"
        )
    return out


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
