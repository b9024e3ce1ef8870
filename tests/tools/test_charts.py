"""Charts: valid PNGs of sane size from each result, the CLI --chart flag, and the text renderings."""

from __future__ import annotations

import struct

import pytest
from click.testing import CliRunner

from agent.cli.main import cli
from tools import charts, text_charts
from tools.capex import CapexInput, capex
from tools.registry import get
from tools.tco import TCOInput, tco
from tools.throughput import ThroughputInput, throughput

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def assert_sane_png(data: bytes) -> None:
    width, height = png_size(data)
    assert 800 <= width <= 2400 and 400 <= height <= 1400
    assert 20_000 < len(data) < 2_000_000  # something was drawn, nothing absurd
    assert data.rstrip(b"\x00").endswith(b"IEND\xaeB`\x82")


@pytest.fixture(scope="module")
def capex_result():
    return capex(CapexInput(company=["big4"], method="cagr", through=2028))


def test_capex_chart_png(capex_result) -> None:
    assert_sane_png(charts.capex_chart(capex_result))
    assert_sane_png(charts.capex_chart(capex(CapexInput(company=["alphabet"], method="guidance", through=2028))))
    assert_sane_png(charts.capex_chart(capex(CapexInput(history="2020=100,2021=110,2022=121", through=2024))))


def test_tco_chart_with_and_without_tornado() -> None:
    plain = charts.tco_chart(tco(TCOInput(chip=["h100", "mi300x", "trainium2"])))
    with_tornado = charts.tco_chart(tco(TCOInput(chip=["h100"], sensitivity=True)))
    assert_sane_png(plain)
    assert_sane_png(with_tornado)
    assert png_size(with_tornado)[0] > png_size(plain)[0]  # the tornado panel widens the figure


def test_tornado_and_throughput_charts() -> None:
    r = tco(TCOInput(chip=["h100"], sensitivity=True))
    assert_sane_png(charts.tornado_chart(r.chips[0].sensitivity, r.cost_per_used_hour, "H100"))
    t = throughput(ThroughputInput(model="llama-3.1-70b", chip="h100", gpus=8, batch=64))
    assert_sane_png(charts.throughput_chart(t))


@pytest.mark.parametrize(
    "args",
    [
        ["capex", "--company", "big4", "--method", "cagr", "--through", "2027"],
        ["tco", "--chip", "h100", "--chip", "mi300x", "--sensitivity"],
        ["throughput", "--model", "llama-3.1-70b", "--chip", "h100", "--gpus", "8", "--batch", "64"],
    ],
)
def test_cli_chart_flag_writes_png(tmp_path, args) -> None:
    out = tmp_path / "chart.png"
    r = CliRunner().invoke(cli, [*args, "--chart", str(out)])
    assert r.exit_code == 0, r.output
    assert_sane_png(out.read_bytes())
    assert "Chart written to" in r.output and out.name in r.output


def test_text_renderings(capex_result) -> None:
    text = text_charts.capex_text(capex_result)
    assert "2024" in text and "2027" in text and "cumulative 2026-2028" in text  # all four report 2025 (10-Ks)
    tco_text = text_charts.tco_text(tco(TCOInput(chip=["h100", "mi300x"], sensitivity=True)))
    assert "NVIDIA H100 SXM5 80GB" in tco_text and "ref $/h" in tco_text and "sensitivity" in tco_text
    t = throughput(ThroughputInput(model="llama-3.1-70b", chip="h100", gpus=8, batch=64))
    assert "*b=64" in text_charts.throughput_text(t)
    assert max(len(line) for line in tco_text.splitlines()) <= 110


def test_cli_table_is_followed_by_text_chart() -> None:
    r = CliRunner().invoke(cli, ["tco", "--chip", "h100", "--chip", "mi300x", "--chip", "trainium2"])
    assert r.exit_code == 0, r.output
    assert "AWS Trainium2" in r.output and "ref $/h" in r.output


def test_registry_wires_charts() -> None:
    for name in ("capex", "tco", "throughput"):
        tool = get(name)
        assert tool.chart is not None and tool.text_chart is not None
    assert get("buildout").chart is None
