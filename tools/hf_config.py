"""A Hugging Face ``config.json`` read into a catalog :class:`~tools.catalog.ModelSpec`.

Fields read (the names the released configs use; a multimodal config's ``text_config`` is read
in place of the top level):

* required: ``num_hidden_layers``, ``hidden_size``, ``num_attention_heads``, ``vocab_size``,
  ``max_position_embeddings``;
* ``num_key_value_heads`` (default: ``num_attention_heads``, i.e. MHA), ``head_dim`` (default
  ``hidden_size / num_attention_heads``);
* MLA (DeepSeek-V2/V3, Kimi-K2): ``kv_lora_rank`` and ``qk_rope_head_dim`` (head_dim =
  ``qk_nope_head_dim + qk_rope_head_dim``); DeepSeek-V3.2's ``index_head_dim`` (indexer key cache);
* ``quantization_config.quant_method`` fp8: the weights default to fp8 (the released format);
* MoE: ``num_local_experts`` / ``n_routed_experts`` / ``num_experts`` with
  ``num_experts_per_tok`` - the config holds no parameter count, so ``params_b`` and
  ``active_params_b`` must be given;
* windows: ``sliding_window`` with ``layer_types`` (count of ``"sliding_attention"``),
  ``use_sliding_window`` + ``max_window_layers`` (Qwen2: layers from that index on slide), or every
  layer (Mistral); chunked local attention: ``attention_chunk_size`` with ``no_rope_layers`` (1 =
  RoPE layer = chunked) or ``no_rope_layer_interval`` (every n-th layer global);
* dense parameter count when no ``params_b`` is given: the exact gated-MLP formula of
  :mod:`tools.params` from ``intermediate_size`` and ``tie_word_embeddings``.

Any missing or malformed field raises :class:`~tools.errors.InputError` naming the config key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tools.catalog import USER, ModelSpec
from tools.errors import InputError

EXPERT_KEYS = ("num_local_experts", "n_routed_experts", "num_experts")


def load_config(path: Path) -> dict[str, Any]:
    """The JSON object in ``path``; unreadable or non-object files are an ``InputError`` on ``config``."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("from_hf_config", f"no such file: {path}.") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError("from_hf_config", f"{path} is not readable JSON ({exc}).") from None
    if not isinstance(data, dict):
        raise InputError(
            "from_hf_config", f"{path} must hold a JSON object (a config.json), not {type(data).__name__}."
        )
    return data


def _int(cfg: dict[str, Any], key: str, default: int | None = None) -> int | None:
    value = cfg.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(key, f"config.json '{key}' must be a positive integer (got {value!r}).")
    return value


def _required_int(cfg: dict[str, Any], key: str) -> int:
    value = _int(cfg, key)
    if value is None:
        raise InputError(key, f"config.json has no '{key}' (required: a positive integer).")
    return value


def _window(cfg: dict[str, Any], layers: int) -> tuple[int | None, int, str]:
    """(window tokens, windowed layers, 'sliding' | 'chunked' | '') from the config's window fields."""
    chunk = _int(cfg, "attention_chunk_size")
    if chunk:
        flags = cfg.get("no_rope_layers")
        if isinstance(flags, list) and len(flags) == layers:
            return chunk, sum(1 for f in flags if f), "chunked"
        interval = _int(cfg, "no_rope_layer_interval") or 4
        return chunk, layers - layers // interval, "chunked"
    window = _int(cfg, "sliding_window")
    if not window:
        return None, 0, ""
    types = cfg.get("layer_types")
    if isinstance(types, list) and types:
        return window, sum(1 for t in types if t == "sliding_attention"), "sliding"
    if cfg.get("use_sliding_window") is False:
        return None, 0, ""
    start = _int(cfg, "max_window_layers") if cfg.get("use_sliding_window") else None
    windowed = layers - min(start, layers) if start is not None else layers
    return (window, windowed, "sliding") if windowed else (None, 0, "")


def _experts(cfg: dict[str, Any]) -> int | None:
    for key in EXPERT_KEYS:
        if cfg.get(key):
            return _int(cfg, key)
    return None


def _release_dtype(cfg: dict[str, Any]) -> str:
    """'fp8' when config.json declares an FP8 checkpoint (``quantization_config.quant_method`` fp8), else ''."""
    quant = cfg.get("quantization_config")
    return "fp8" if isinstance(quant, dict) and quant.get("quant_method") == "fp8" else ""


def spec_from_config(
    cfg: dict[str, Any],
    name: str,
    *,
    aliases: tuple[str, ...] = (),
    params_b: float | None = None,
    active_params_b: float | None = None,
    source: str,
    added: str,
) -> ModelSpec:
    """A validated :class:`ModelSpec` from a config dict (see the module docstring for the fields)."""
    if isinstance(cfg.get("text_config"), dict):
        cfg = {**cfg, **cfg["text_config"]}
    layers = _required_int(cfg, "num_hidden_layers")
    hidden = _required_int(cfg, "hidden_size")
    heads = _required_int(cfg, "num_attention_heads")
    vocab = _required_int(cfg, "vocab_size")
    context = _required_int(cfg, "max_position_embeddings")
    kv_heads = _int(cfg, "num_key_value_heads", heads)
    rank = _int(cfg, "kv_lora_rank")
    rope = _int(cfg, "qk_rope_head_dim")
    if rank and not rope:
        raise InputError(
            "qk_rope_head_dim", "config.json has kv_lora_rank (MLA) but no 'qk_rope_head_dim' (a positive integer)."
        )
    if rank:
        # head_dim is None only when config.json sets "head_dim": null (the else branch).
        head_dim: int | None = _required_int(cfg, "qk_nope_head_dim") + (rope or 0)
        attention = "MLA"
    else:
        if hidden % heads and "head_dim" not in cfg:
            raise InputError(
                "head_dim", f"config.json has no 'head_dim' and hidden_size {hidden} is not divisible by {heads} heads."
            )
        head_dim = _int(cfg, "head_dim", hidden // heads)
        attention = "MHA" if kv_heads == heads else ("MQA" if kv_heads == 1 else "GQA")
    window, windowed, kind = _window(cfg, layers)
    experts = _experts(cfg)
    tie = cfg.get("tie_word_embeddings", False)
    if not isinstance(tie, bool):
        raise InputError(
            "tie_word_embeddings", f"config.json 'tie_word_embeddings' must be true or false (got {tie!r})."
        )
    intermediate = None if experts else _int(cfg, "intermediate_size")
    if experts and (params_b is None or active_params_b is None):
        raise InputError(
            "params_b",
            f"config.json describes a mixture of experts ({experts} experts) and holds no parameter count; give "
            "--params-b and --active-params-b (billions, from the model card).",
        )
    spec = ModelSpec(
        name=name,
        aliases=aliases,
        params_b=params_b or 1.0,
        active_params_b=active_params_b,
        n_layers=layers,
        hidden_size=hidden,
        n_heads=heads,
        n_kv_heads=kv_heads,
        head_dim=head_dim,
        attention=attention if not kind else f"{attention} ({kind} window {window} on {windowed} of {layers} layers)",
        kv_lora_rank=rank,
        qk_rope_head_dim=rope,
        max_context=context,
        vocab=vocab,
        intermediate_size=intermediate,
        tie_word_embeddings=tie,
        sliding_window=window,
        sliding_layers=windowed,
        window_kind=kind,
        source_date=added,
        release_weights_dtype=_release_dtype(cfg),
        index_head_dim=_int(cfg, "index_head_dim") if rank else None,
        source=source,
        notes=f"Added by you on {added} from a Hugging Face config.json"
        + (f"; MoE with {experts} experts" if experts else "")
        + ".",
        origin=USER,
    )
    if params_b is None:
        from tools.params import exact_parameter_count

        exact = exact_parameter_count(spec)
        if exact is None:
            raise InputError(
                "params_b", "config.json has no 'intermediate_size' to count parameters; give --params-b (billions)."
            )
        spec = spec.model_copy(update={"params_b": round(exact / 1e9, 3)})
    return spec
