"""``siliconomics throughput --calibrate FILE.csv``: fit a profile to measured points, print and save it.

Profiles are saved under ``<data dir>/profiles`` (the settings' data directory); ``--profile NAME``
names the profile to save (default: the file's stem, plus the chip when one is given). The same
directory is passed to the calculators when a command uses ``--profile`` (``throughput``, ``tco``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from agent.profiles import profiles_dir


def calibration_options() -> list[click.Option]:
    """The extra flags of the throughput command."""
    return [
        click.Option(
            ["--calibrate"],
            default=None,
            metavar="FILE.csv",
            help="Fit efficiencies and overhead to measured points (InferenceX columns), print the fit and save it "
            "as a profile (name: --profile).",
        ),
        click.Option(
            ["--framework"], default=None, metavar="NAME", help="With --calibrate: only rows of this framework."
        ),
    ]


def run_calibration(path: str, args: dict[str, Any], framework: str | None, as_json: bool) -> None:
    """Fit, save and print a profile; bad input exits 2 naming the field."""
    from agent.errors import UsageError
    from tools.calibration import calibrate
    from tools.errors import InputError

    chip = args.get("chip")
    name = args.get("profile") or "-".join(x for x in (Path(path).stem, chip, framework) if x).replace(" ", "-")
    try:
        result = calibrate(path, name[:64], profiles_dir(), chip=chip, framework=framework)
    except InputError as exc:
        raise UsageError(str(exc)) from None
    if as_json:
        click.echo(result.model_dump_json(indent=2))
        return
    click.echo(_text(result))


def _text(result: Any) -> str:
    p = result.profile
    held = "n/a" if p.holdout_median_abs_log_error is None else f"{p.holdout_median_abs_log_error:.3f}"
    lines = [
        f"profile {p.name} (chip {p.chip}, framework {p.framework}) saved to {result.saved_to}",
        f"  mem_eff {p.mem_eff:g}   compute_eff {p.compute_eff:g}   overhead {p.overhead_us_per_layer:g} us per layer",
        f"  median |ln(measured/predicted)|: fit {p.fit_median_abs_log_error:.3f} on {p.fit_points} points, "
        f"held out {held} on {p.holdout_points} points",
        "  bucket   points  median ratio  median |ln|",
    ]
    for b in p.buckets:
        lines.append(f"  {b.bucket:<8} {b.points:>6}  {b.median_ratio:>12.2f}  {b.median_abs_log_error:>11.3f}")
    lines.append("  row  chip     framework        conc   measured  predicted  ratio  group")
    for e in result.points:
        lines.append(
            f"  {e.row:<4} {e.chip:<8} {e.framework:<15} {e.concurrency:>5} {e.measured:>10.1f} {e.predicted:>10.1f} "
            f"{e.measured / e.predicted:>6.2f}  {e.group}"
        )
    return "\n".join(lines)
