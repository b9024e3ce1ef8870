"""Numeric formats: bytes per stored value, and which datasheet FLOPS column serves them."""

from __future__ import annotations

from typing import Literal

DType = Literal["fp32", "fp16", "bf16", "fp8", "int8", "int4", "fp4"]

#: Bytes per stored value. fp4/int4 pack two values per byte (no block scales counted).
BYTES_PER_VALUE: dict[str, float] = {
    "fp32": 4.0,
    "fp16": 2.0,
    "bf16": 2.0,
    "fp8": 1.0,
    "int8": 1.0,
    "int4": 0.5,
    "fp4": 0.5,
}

#: Tensor-core peak used for matmuls whose weights are in this format, most specific first.
#: fp32 and 16-bit use the bf16 column (fp32 training runs on TF32/bf16 tensor cores).
FLOPS_COLUMNS: dict[str, tuple[str, ...]] = {
    "fp32": ("bf16_dense_tflops",),
    "fp16": ("bf16_dense_tflops",),
    "bf16": ("bf16_dense_tflops",),
    "fp8": ("fp8_dense_tflops", "bf16_dense_tflops"),
    "int8": ("fp8_dense_tflops", "bf16_dense_tflops"),
    "int4": ("fp4_dense_tflops", "fp8_dense_tflops", "bf16_dense_tflops"),
    "fp4": ("fp4_dense_tflops", "fp8_dense_tflops", "bf16_dense_tflops"),
}

GB = 10**9
GIB = 2**30
