"""The serving shape that memory_fit, throughput and tco share: accelerators per replica, formats, tokens.

One input model, so the three calculators agree on their defaults: a question that runs memory_fit, then
throughput, then tco on the same deployment gets the same replica without naming it three times.

* ``gpus`` = 8: one 8-accelerator server, the usual unit sold and rented (NVIDIA HGX/DGX H100, H200 and B200
  boards carry 8 GPUs; AMD's MI300X platform carries 8 OAM modules). A replica on one accelerator, or on
  several servers, is given explicitly.
* ``weights_dtype`` = bf16, the format most open-weight checkpoints are released in; a model whose catalog row
  names another released format (DeepSeek-V3/R1/V3.2: fp8) defaults to that (:mod:`tools.release_dtype`).
* ``prompt`` = ``output`` = 1,000 tokens per request. ASSUMPTION: a round request size; the calculators
  print it in their inputs.

The calculators add their own fields (model and chip, whose types differ: tco compares several chips)
and may narrow a bound (memory_fit accepts ``output`` 0, a prompt-only request).

One exception, kept on purpose: throughput's ``gpus`` defaults to 1 (:data:`THROUGHPUT_DEFAULT_GPUS`). A
speed question naming a chip without a count ("tok/s of Llama-2-7B on an A100") asks about one accelerator,
and the offline planner passes no count for it, relying on this default; with 8 it would answer for a
server instead (six cases of ``siliconomics eval agent_offline`` turn wrong, e.g. 107.2 tokens/s on 8 x
A100 for the 148.3 of one A100). Both defaults are printed in the results' assumptions when used.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from tools.dtypes import DType
from tools.kv_cache import KVDType

#: Accelerators per replica when none is given: one 8-accelerator server (see the module docstring).
DEFAULT_GPUS = 8
#: throughput's default: one accelerator (the module docstring says why it differs).
THROUGHPUT_DEFAULT_GPUS = 1
DEFAULT_WEIGHTS_DTYPE: DType = "bf16"
#: ASSUMPTION: a round request size (tokens), printed in every result's inputs.
DEFAULT_PROMPT = 1000
DEFAULT_OUTPUT = 1000


class ServingShape(BaseModel):
    """How one model replica is served: accelerators, weight format and tokens per request."""

    gpus: int = Field(
        DEFAULT_GPUS,
        ge=1,
        description="Accelerators in one model replica (tensor-parallel group); default 8, one 8-accelerator server.",
    )
    weights_dtype: DType = Field(
        DEFAULT_WEIGHTS_DTYPE,
        description="Weight format: fp32, fp16, bf16, fp8, int8, int4, fp4 (default: the model's released format when "
        "it is not bf16, e.g. fp8 for DeepSeek-V3/R1/V3.2; else bf16).",
    )
    prompt: int = Field(DEFAULT_PROMPT, ge=1, description="Prompt (input) tokens per request.")
    output: int = Field(DEFAULT_OUTPUT, ge=1, description="Output tokens per request, reasoning tokens included.")


class ServingShapeKV(ServingShape):
    """The serving shape with the KV-cache format (memory_fit and throughput size the cache)."""

    kv_dtype: KVDType | None = Field(
        None,
        description="KV-cache format; defaults to the weight format (16-bit for 4-bit weights); fp8_ds_mla for "
        "DeepSeek MLA (vLLM).",
    )


def default_gpus_note(shape: ServingShape) -> list[str]:
    """The assumption to print when ``gpus`` was not given (an empty list when it was)."""
    if "gpus" in shape.model_fields_set:
        return []
    if shape.gpus == DEFAULT_GPUS:
        return [
            f"gpus = {shape.gpus} (default): one {DEFAULT_GPUS}-accelerator server per replica; give gpus for another."
        ]
    return [
        f"gpus = {shape.gpus} (default): one accelerator; give gpus for a tensor-parallel replica ({DEFAULT_GPUS} = a server)."
    ]
