"""A model's released weight format as the default ``weights_dtype`` (DeepSeek-V3/R1/V3.2 ship FP8 only).

``models.csv`` column ``release_weights_dtype`` names the format a model's own checkpoint is published in,
with its source in the row (DeepSeek-V3 README: "Since FP8 training is natively adopted in our framework,
we only provide FP8 weights"). When the caller gives no ``weights_dtype``, memory-fit and throughput use
that format instead of bf16 and say so; a row without it keeps the bf16 default. The KV cache stays bf16 by
default in that case (the checkpoint's compute dtype), not the weights' FP8.
"""

from __future__ import annotations

from pydantic import BaseModel

from tools.catalog import find_model
from tools.errors import InputError


def release_weights_dtype(model: str | None) -> str | None:
    """The released weight format of catalog ``model`` (e.g. 'fp8'), or None (unknown model or no such column)."""
    if not model:
        return None
    try:
        return find_model(model).release_weights_dtype or None
    except InputError:
        return None  # the calculator reports the unknown model itself


def apply_release_default(inp: BaseModel) -> None:
    """Set ``inp.weights_dtype`` to the model's released format when the caller gave none (kept out of the fields
    the caller set, so the result lists it among the defaults used)."""
    if "weights_dtype" in inp.model_fields_set:
        return
    release = release_weights_dtype(getattr(inp, "model", None))
    if release:
        inp.__dict__["weights_dtype"] = release


def release_note(inp: BaseModel) -> str | None:
    """The assumption line saying the weights default to the model's released format, when they did."""
    if "weights_dtype" in inp.model_fields_set:
        return None
    release = release_weights_dtype(getattr(inp, "model", None))
    if not release:
        return None
    name = find_model(getattr(inp, "model", "")).name
    return (
        f"Weights in {release}: {name} is released in {release} only (its models.csv row names the source); "
        f"every parameter is counted at the {release} size (its few bf16 tensors, e.g. norms, are not counted apart); give "
        "weights_dtype bf16 for an upcast copy. KV cache defaults to bf16 (the checkpoint's compute format)."
    )


def default_kv_dtype(inp: BaseModel, weights_dtype: str, bytes_per_value: float) -> str:
    """KV format when none is given: bf16 under a release-format default or 4-bit weights, else the weights'."""
    if "weights_dtype" not in inp.model_fields_set or bytes_per_value < 1:
        return "bf16"
    return weights_dtype
