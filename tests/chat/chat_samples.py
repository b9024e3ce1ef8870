"""Sample answers for the chat tests: real calculator results wrapped in Answers."""

from __future__ import annotations

from agent.answer import Answer, Citation, ToolCallRecord
from tools.registry import get

#: Llama-3.1-70B, bf16 KV: 2 x 80 layers x 8 KV heads x 128 x 2 B = 327,680 B/token
#: (models.csv kv_bytes_per_token_bf16; tools/kv_cache.py docstring); x 32,000 x 8 = 83,886,080,000 B.
KV_ARGS = {"model": "llama-3.1-70b", "context": 32000, "batch": 8}


def kv_record(**overrides) -> ToolCallRecord:
    args = {**KV_ARGS, **overrides}
    result = get("kv_cache").run(args)
    return ToolCallRecord(name="kv_cache", args=args, result=result.model_dump(mode="json"))


MEMORY_CITATION = Citation(
    text="The memory makers have had terrible margins for years, " * 6,
    source="BG2: AI Semiconductor Landscape feat. Dylan Patel",
    chapter="Memory and HBM",
    timestamp="43:10",
    chunk_id="bg2-041",
)


def kv_answer(**extra) -> Answer:
    return Answer(
        answer="**KV cache**: 83,886,080,000 B (83.9 GB) for 8 sequences of 32,000 tokens.",
        tool_calls=[kv_record()],
        model="offline",
        elapsed_s=0.12,
        **extra,
    )
