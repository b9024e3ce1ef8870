"""The KV-cache calculator's section and lead."""

from __future__ import annotations

from typing import Any

from agent.offline.writers.content import result
from agent.render.figures import nbytes, num


def kv_cache_section(data: dict[str, Any]) -> list[str]:
    r = result("kv_cache", data)
    head = (
        f"**KV cache, {r.model}** ({r.attention.upper()}, cache in {r.kv_dtype}, "
        f"{num(r.tokens_per_sequence)} tokens per sequence, batch {num(r.batch)}"
        + (f", per GPU at tensor parallel {num(r.tp)}" if r.tp > 1 else "")
        + "):"
    )
    return [
        head,
        f"- per token: **{num(r.bytes_per_token)} bytes** ({nbytes(r.bytes_per_token)})",
        f"- per sequence: **{nbytes(r.bytes_per_sequence)}**",
        f"- whole batch: **{nbytes(r.total_bytes)}** ({r.total_gib:,.2f} GiB)",
    ]


def kv_lead(data: dict[str, Any]) -> list[str]:
    r = result("kv_cache", data)
    return [
        f"**KV cache: {num(r.bytes_per_token)} bytes per token**, {nbytes(r.total_bytes)} for the batch ({r.model})"
    ]
