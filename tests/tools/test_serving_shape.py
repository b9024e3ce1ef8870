"""One serving shape for memory_fit, throughput and tco: the same fields, flags and defaults."""

from __future__ import annotations

import pytest

from tools.memory_fit import MemoryFitInput
from tools.registry import get
from tools.serving_shape import DEFAULT_GPUS, THROUGHPUT_DEFAULT_GPUS, ServingShape
from tools.tco_inputs import TCOInput
from tools.throughput import ThroughputInput

SHAPED = (MemoryFitInput, ThroughputInput, TCOInput)


@pytest.mark.parametrize("model", SHAPED)
def test_every_shaped_input_is_a_serving_shape(model: type[ServingShape]) -> None:
    assert issubclass(model, ServingShape)
    for name in ("gpus", "weights_dtype", "prompt", "output"):
        assert name in model.model_fields


@pytest.mark.parametrize("name", ["weights_dtype", "prompt", "output"])
def test_shape_defaults_agree(name: str) -> None:
    assert len({m.model_fields[name].default for m in SHAPED}) == 1


def test_gpus_default_is_one_server_except_the_speed_of_one_accelerator() -> None:
    assert MemoryFitInput.model_fields["gpus"].default == TCOInput.model_fields["gpus"].default == DEFAULT_GPUS == 8
    assert ThroughputInput.model_fields["gpus"].default == THROUGHPUT_DEFAULT_GPUS == 1


def test_memory_fit_alone_accepts_a_prompt_only_request() -> None:
    assert MemoryFitInput(model="llama-3.1-8b", chip="h100", output=0).output == 0
    with pytest.raises(ValueError):
        ThroughputInput(model="llama-3.1-8b", chip="h100", output=0)


@pytest.mark.parametrize(("tool", "args"), [("memory_fit", {}), ("throughput", {})])
def test_a_defaulted_gpus_is_stated_in_the_assumptions(tool: str, args: dict[str, object]) -> None:
    base = {"model": "llama-3.1-8b", "chip": "h100", **args}
    defaulted = get(tool).run(base)
    given = get(tool).run({**base, "gpus": 2})
    note = [a for a in defaulted.assumptions if a.startswith("gpus = ")]  # type: ignore[attr-defined]
    assert len(note) == 1 and "(default)" in note[0]
    assert not [a for a in given.assumptions if a.startswith("gpus = ")]  # type: ignore[attr-defined]
