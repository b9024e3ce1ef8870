"""The benchmark's parts run and measure what they claim (no wall-clock assertions)."""

from __future__ import annotations

from rich.console import Console

from evals.bench import agent_overhead, bench_renderable, calculator_throughput, instant_model, machine


def test_instant_model_drives_a_real_ask_loop() -> None:
    from agent.ask import ask

    answer = ask("kv cache per token for opt-13b in fp16?", model=instant_model())
    assert [tc.name for tc in answer.tool_calls] == ["kv_cache"]
    assert "819,200" in answer.answer and not answer.warnings


def test_agent_overhead_measures_both_loops() -> None:
    figures = agent_overhead(1)
    assert set(figures) == {"ask_s", "bare_create_agent_s", "bare_graph_reused_s"}
    assert all(v > 0 for v in figures.values())


def test_calculator_throughput_covers_each_sweep() -> None:
    rows = calculator_throughput(min_seconds=0.01)
    assert [r["tool"] for r in rows] == ["kv_cache", "memory_fit", "throughput", "tco"]
    assert all(r["evals_per_s"] > 0 and r["evals_per_s_validated"] > 0 for r in rows)


def test_report_renders_machine_and_ratios() -> None:
    result = {
        "machine": machine(),
        "cold_start": {"python_pass_s": 0.1, "help_s": 0.5, "search_s": 1.5, "ask_offline_s": 2.0},
        "index": {"build_s": 30.0, "vectors": 2245},
        "search": {"searches": 10, "p50_ms": 10.0, "p95_ms": 20.0},
        "agent_loop": {"ask_s": 0.07, "bare_create_agent_s": 0.06, "bare_graph_reused_s": 0.02},
        "calculators": [
            {"tool": "kv_cache", "sweep": "context x 8", "evals_per_s": 5000.0, "evals_per_s_validated": 4000.0}
        ],
        "ratios": {
            "help_vs_python": 5.0,
            "search_vs_python": 15.0,
            "ask_vs_python": 20.0,
            "ask_loop_vs_bare_create_agent": 1.17,
            "ask_loop_vs_bare_graph_reused": 3.5,
        },
    }
    console = Console(width=200, record=True)
    console.print(bench_renderable(result))
    text = console.export_text()
    assert "5.0x" in text and "15.0x" in text and "1.17x" in text and result["machine"]["cpus_usable"] in text
