"""The calculator writers read validated result models: a result missing a field the writer reads fails
loudly instead of printing a wrong or empty figure."""

from __future__ import annotations

import pydantic
import pytest

from agent.offline.writers.buildout import buildout_section
from agent.offline.writers.kv_cache import kv_cache_section
from agent.offline.writers.memory_fit import memory_fit_section
from agent.offline.writers.throughput import throughput_section
from tools.registry import get

CASES = [
    ("kv_cache", {"model": "Llama-3.1-70B", "context": 32000, "batch": 8}, kv_cache_section, "83.89 GB"),
    ("memory_fit", {"model": "Llama-3.1-70B", "chip": "h100", "gpus": 8}, memory_fit_section, "requests"),
    ("throughput", {"model": "Llama-3.1-70B", "chip": "h100", "gpus": 8}, throughput_section, "tokens/s"),
    ("buildout", {"gw": 1, "chip": "h100"}, buildout_section, "GW of"),
]


@pytest.mark.parametrize(("tool", "args", "writer", "text"), CASES, ids=[c[0] for c in CASES])
def test_writer_reads_the_tool_result(tool, args, writer, text) -> None:
    data = get(tool).content(get(tool).run(args))
    assert text in "\n".join(writer(data))


@pytest.mark.parametrize(("tool", "args", "writer", "text"), CASES, ids=[c[0] for c in CASES])
def test_writer_fails_loudly_on_a_renamed_field(tool, args, writer, text) -> None:
    data = get(tool).content(get(tool).run(args))
    renamed = {("renamed_" + k if k in ("model", "gw") else k): v for k, v in data.items()}
    with pytest.raises(pydantic.ValidationError):
        writer(renamed)
