"""Calibration: measured points read from InferenceX columns, a fit that recovers known settings, profiles
saved and used by throughput and tco, the default fit reproduced, and the CLI (exit 2 on bad input)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from agent.cli.main import cli
from tools import step_time
from tools.calibration import calibrate, fit_default_form, step_parts
from tools.errors import InputError
from tools.measured import MTP_ACCEPT, read_points
from tools.profiles import load_profile
from tools.tco import TCOInput, tco
from tools.throughput import DEFAULT_COMPUTE_EFF, DEFAULT_MEM_EFF, ThroughputInput, throughput

MEASURED = Path(__file__).parents[2] / "knowledge" / "data" / "measured" / "deepseek_r1_serving_inferencex.csv"
COLUMNS = ["model", "hardware", "framework", "precision", "spec_method", "disagg", "num_decode_gpu", "decode_tp",
           "decode_ep", "decode_dp_attention", "isl", "osl", "conc", "median_intvty"]  # fmt: skip


def test_reads_the_repo_measurements() -> None:
    """190 rows; row 2 is disaggregated (48 decode GPUs at TP8 = 6 replicas), concurrency 256 -> 43 per replica."""
    points = read_points(MEASURED)
    assert len(points) == 190
    first = points[0]
    assert first.row == 2 and first.disaggregated and first.speculative
    assert first.args == {
        "model": "deepseek-r1", "chip": "b200", "weights_dtype": "fp4", "gpus": 8, "ep": 8, "dp_attention": False,
        "batch": 43, "prompt": 1024, "output": 1024, "mtp_accept": MTP_ACCEPT,
    }  # fmt: skip
    assert first.bucket == "33+"


def _synthetic(path: Path, mem_eff: float, compute_eff: float, us_per_layer: float) -> None:
    """A CSV whose 'measured' speeds are the calculator's own at known settings (Llama-3.1-8B on one H200:
    short sequences at large batches reach the compute roofline, so all three settings are identifiable)."""
    rows = []
    for conc in (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048):
        for isl, osl in ((128, 128), (1024, 1024)):
            r = throughput(ThroughputInput(model="llama-3.1-8b", chip="h200", weights_dtype="fp8", batch=conc,
                                           prompt=isl, output=osl, mem_eff=mem_eff, compute_eff=compute_eff,
                                           step_overhead_ms=32 * us_per_layer / 1000))  # fmt: skip
            rows.append(["llama-3.1-8b", "h200", "vllm", "fp8", "none", "False", 1, 1, 1, "False", isl, osl, conc,
                         r.tokens_per_s_per_user_avg_length])  # fmt: skip
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        w.writerows(rows)


def test_fit_recovers_known_settings_and_saves_a_profile(tmp_path: Path) -> None:
    data = tmp_path / "synthetic.csv"
    _synthetic(data, 0.5, 0.4, 50)
    result = calibrate(data, "synthetic", tmp_path / "profiles")
    p = result.profile
    assert (p.mem_eff, p.compute_eff, p.overhead_us_per_layer) == (0.5, 0.4, 50.0)
    assert p.fit_median_abs_log_error < 1e-9 and p.holdout_median_abs_log_error < 1e-9
    assert p.fit_points == 18 and p.holdout_points == 6
    assert {e.group for e in result.points} == {"fit", "held-out"}
    assert load_profile("synthetic", tmp_path / "profiles") == p
    used = throughput(ThroughputInput(model="llama-3.1-70b", chip="h200", gpus=4, weights_dtype="fp8", batch=64,
                                      profile="synthetic", profile_dir=str(tmp_path / "profiles")))  # fmt: skip
    same = throughput(ThroughputInput(model="llama-3.1-70b", chip="h200", gpus=4, weights_dtype="fp8", batch=64,
                                      mem_eff=0.5, compute_eff=0.4, step_overhead_ms=80 * 50 / 1000))  # fmt: skip
    assert used.decode_tokens_per_s == pytest.approx(same.decode_tokens_per_s)
    label = "calibrated estimate (profile synthetic, median error x1.00 on 6 held-out points"
    assert used.figure_kind.startswith(label)
    priced = tco(TCOInput(chip=["h100"], model="deepseek-r1", weights_dtype="fp8", profile="synthetic",
                          profile_dir=str(tmp_path / "profiles")))  # fmt: skip
    assert "calibrated estimate (profile synthetic" in priced.model_dump_json()


def test_default_settings_are_the_fit_on_h200_and_b200() -> None:
    """Re-run the fit that produced the throughput defaults (non-speculative H200 and B200 points)."""
    points = [p for p in read_points(MEASURED) if not p.speculative and p.args["chip"] in ("h200", "b200")]
    assert len(points) == 90
    fitted = fit_default_form(points, [step_parts(p) for p in points], DEFAULT_COMPUTE_EFF)
    assert fitted == (DEFAULT_MEM_EFF, step_time.OVERHEAD_US_PER_LAYER, step_time.OVERHEAD_US_PER_LAYER_PER_TP_DOUBLING)


@pytest.mark.parametrize(
    ("content", "kwargs", "needle"),
    [
        (None, {}, "no such file"),
        ("model,hardware\ndsr1,h100\n", {}, "lacks column"),
        (",".join(COLUMNS) + "\n", {}, "no data rows"),
        (",".join(COLUMNS) + "\ndsr1,h100,sglang,fp8,none,False,8,eight,1,False,1024,1024,4,50\n", {}, "non-numeric"),
        (",".join(COLUMNS) + "\ndsr1,h100,sglang,fp8,none,False,8,8,1,False,1024,1024,4,50\n", {}, "need at least 3"),
        (",".join(COLUMNS) + "\n" + "dsr1,h999,sglang,fp8,none,False,8,8,1,False,1024,1024,4,50\n" * 3, {}, "row 2"),
    ],
)
def test_bad_calibration_input(tmp_path: Path, content: str | None, kwargs: dict, needle: str) -> None:
    path = tmp_path / "m.csv"
    if content is not None:
        path.write_text(content)
    with pytest.raises(InputError) as err:
        calibrate(path, "x", tmp_path / "profiles", **kwargs)
    assert err.value.field == "calibrate" and needle in str(err.value)


def test_cli_calibrate_then_use_the_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SILICONOMICS_DATA_DIR", str(tmp_path))
    from agent.settings import load_settings

    load_settings.cache_clear()
    runner = CliRunner()
    r = runner.invoke(cli, ["throughput", "--calibrate", str(MEASURED), "--chip", "h200", "--profile", "h200-dsr1"])
    assert r.exit_code == 0, r.output
    assert "profile h200-dsr1 (chip h200, framework any)" in r.output and "held out" in r.output
    assert (tmp_path / "profiles" / "h200-dsr1.json").is_file()
    r = runner.invoke(cli, ["throughput", "--model", "deepseek-r1", "--chip", "h200", "--gpus", "8", "--weights-dtype",
                            "fp8", "--batch", "32", "--profile", "h200-dsr1", "--json"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["figure_kind"].startswith("calibrated estimate (profile h200-dsr1")
    r = runner.invoke(cli, ["tco", "--chip", "h100", "--model", "deepseek-r1", "--weights-dtype", "fp8", "--profile",
                            "h200-dsr1", "--json"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "calibrated estimate (profile h200-dsr1" in r.output
    for args, field in (
        (["throughput", "--model", "deepseek-r1", "--chip", "h200", "--profile", "missing"], "profile"),
        (["throughput", "--calibrate", str(tmp_path / "nope.csv")], "calibrate"),
        (["throughput", "--model", "deepseek-r1", "--chip", "h200", "--gpus", "8", "--ep", "3"], "ep"),
        (["throughput", "--model", "deepseek-r1", "--chip", "h200", "--mtp-accept", "0"], "mtp_accept"),
    ):
        r = runner.invoke(cli, args)
        assert r.exit_code == 2, r.output
        assert f"error: {field}:" in r.output


def test_agent_tool_reads_profiles_from_the_data_dir_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The LangChain tool fills profile_dir from the settings and ignores a directory the model invents."""
    monkeypatch.setenv("SILICONOMICS_DATA_DIR", str(tmp_path))
    from agent.agent_tools import langchain_tool
    from agent.settings import load_settings
    from agent.toolset import get

    load_settings.cache_clear()
    data = tmp_path / "synthetic.csv"
    _synthetic(data, 0.5, 0.4, 50)
    calibrate(data, "mine", tmp_path / "profiles")
    tool = langchain_tool(get("throughput"))
    args = {"model": "llama-3.1-8b", "chip": "h200", "profile": "mine", "profile_dir": str(tmp_path / "elsewhere")}
    out = json.loads(tool.invoke(args))
    assert out["figure_kind"].startswith("calibrated estimate (profile mine")
    assert out["inputs"]["mem_eff"] == 0.5
