"""Rich tables for a run: one per suite (failures with expected vs got and the tool calls),
a summary against the gates, and a comparison of two run logs (what got better or worse).

Functions take a run log as a dict (the JSON shape of :class:`evals.runner.RunLog`) so that a
log read back from disk and a fresh run render the same way.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

_STYLE = {"pass": "green", "fail": "red", "error": "magenta"}


def _calls(case: dict[str, Any], limit: int = 3) -> str:
    calls = case.get("tool_calls") or []
    parts = []
    for c in calls[:limit]:
        args = ", ".join(f"{k}={v}" for k, v in (c.get("args") or {}).items())
        parts.append(f"{c['name']}({args})" + (" -> error" if c.get("error") else ""))
    if len(calls) > limit:
        parts.append(f"+{len(calls) - limit} more")
    return "\n".join(parts) or "-"


def suite_table(suite: dict[str, Any], *, show_passing: bool = False) -> Table:
    """One suite: a row per failing (or every) case: status, check, expected, got, tool calls."""
    rate = f"{suite['passed']}/{suite['total']} ({suite['pass_rate']:.0%})" if suite["total"] else "0 cases"
    if suite.get("mrr") is not None:
        rate += f", recall@k {suite['pass_rate']:.3f}, MRR {suite['mrr']:.3f}"
    model = f" · model {suite['model']}" if suite.get("model") else ""
    title = f"{suite['suite']} ({suite['kind']}{model}): {rate}, gate {suite['gate']:.0%}"
    if suite.get("skipped"):
        title = f"{suite['suite']} ({suite['kind']}): skipped: {suite['skipped']}"
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    for col, kw in (
        ("case", {"no_wrap": True}),
        ("status", {}),
        ("check", {}),
        ("expected", {"max_width": 36}),
        ("got", {"max_width": 48}),
        ("tool calls", {"max_width": 44}),
        ("s", {"justify": "right"}),
    ):
        table.add_column(col, **kw)
    for case in suite.get("cases", []):
        status = case["status"]
        if status == "pass" and not show_passing:
            continue
        style = _STYLE[status]
        if status == "error":
            table.add_row(
                case["id"],
                Text(status, style=style),
                "-",
                "-",
                case.get("error") or "",
                _calls(case),
                f"{case['latency_s']:.2f}",
            )
            continue
        failed = [c for c in case["checks"] if not c["passed"]] or case["checks"][:1]
        for i, chk in enumerate(failed):
            table.add_row(
                case["id"] if i == 0 else "",
                Text(status, style=style) if i == 0 else "",
                chk["name"],
                chk["expected"],
                chk["got"],
                _calls(case) if i == 0 else "",
                f"{case['latency_s']:.2f}" if i == 0 else "",
            )
    return table


def summary_table(log: dict[str, Any]) -> Table:
    table = Table(title=f"eval run {log['started_at']} · commit {log['git_commit']}", title_justify="left")
    for col in ("suite", "kind", "model", "passed", "rate", "MRR", "gate", "verdict", "tokens", "cost $"):
        table.add_column(
            col, justify="right" if col in ("passed", "rate", "MRR", "gate", "tokens", "cost $") else "left"
        )
    for s in log["suites"]:
        tokens = sum(c.get("usage", {}).get("total_tokens", 0) for c in s.get("cases", []))
        costs = [c["cost_usd"] for c in s.get("cases", []) if c.get("cost_usd") is not None]
        if s.get("skipped"):
            verdict = Text("skipped", style="yellow")
        else:
            verdict = Text("ok", style="green") if s["meets_gate"] else Text("BELOW GATE", style="bold red")
        table.add_row(
            s["suite"], s["kind"], s.get("model") or "-", f"{s['passed']}/{s['total']}",
            f"{s['pass_rate']:.1%}" if s["total"] else "-",
            f"{s['mrr']:.3f}" if s.get("mrr") is not None else "-", f"{s['gate']:.0%}", verdict,
            f"{tokens:,}" if tokens else "-", f"{sum(costs):.4f}" if costs else "-",
        )  # fmt: skip
    return table


def suite_renderable(suite: dict[str, Any], *, show_passing: bool = False) -> Table | Text:
    """A table of failures (or of every case), or one line when there is nothing to list."""
    if suite.get("skipped"):
        return Text(f"{suite['suite']}: skipped: {suite['skipped']}", style="yellow")
    if suite["total"] and suite["passed"] == suite["total"] and not show_passing:
        return Text(f"{suite['suite']} ({suite['kind']}): all {suite['total']} cases pass", style="green")
    return suite_table(suite, show_passing=show_passing)


def run_renderable(log: dict[str, Any], *, show_passing: bool = False) -> Group:
    return Group(*(suite_renderable(s, show_passing=show_passing) for s in log["suites"]), summary_table(log))


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What changed between two run logs: per-suite rates and per-case status changes."""
    suites = []
    for s_new in new["suites"]:
        s_old = next((s for s in old["suites"] if s["suite"] == s_new["suite"]), None)
        old_cases = {c["id"]: c["status"] for c in (s_old or {}).get("cases", [])}
        new_cases = {c["id"]: c["status"] for c in s_new.get("cases", [])}
        better = sorted(i for i, st in new_cases.items() if st == "pass" and old_cases.get(i) in ("fail", "error"))
        worse = sorted(i for i, st in new_cases.items() if st != "pass" and old_cases.get(i) == "pass")
        suites.append(
            {
                "suite": s_new["suite"],
                "old_rate": s_old["pass_rate"] if s_old and s_old["total"] else None,
                "new_rate": s_new["pass_rate"] if s_new["total"] else None,
                "better": better,
                "worse": worse,
                "added": sorted(set(new_cases) - set(old_cases)),
                "removed": sorted(set(old_cases) - set(new_cases)),
            }
        )
    return {
        "old": {"model": old["model"], "commit": old["git_commit"]},
        "new": {"model": new["model"], "commit": new["git_commit"]},
        "suites": suites,
    }


def compare_renderable(diff: dict[str, Any]) -> Group:
    """Rates per suite, then the case ids that got better or worse, in full."""
    o, n = diff["old"], diff["new"]
    table = Table(
        title=f"compare: {o['model']} @ {o['commit']}  ->  {n['model']} @ {n['commit']}", title_justify="left"
    )
    for col in ("suite", "old", "new", "change", "better", "worse", "added", "removed"):
        table.add_column(col, justify="left" if col == "suite" else "right")

    def pct(x: float | None) -> str:
        return "-" if x is None else f"{x:.1%}"

    lines: list[Text] = []
    for s in diff["suites"]:
        delta = (s["new_rate"] - s["old_rate"]) if s["new_rate"] is not None and s["old_rate"] is not None else None
        style = "green" if (delta or 0) > 0 else "red" if (delta or 0) < 0 else ""
        table.add_row(
            s["suite"], pct(s["old_rate"]), pct(s["new_rate"]), Text("-" if delta is None else f"{delta:+.1%}", style=style),
            str(len(s["better"])), str(len(s["worse"])), str(len(s["added"])), str(len(s["removed"])),
        )  # fmt: skip
        for label, key, colour in (("better (now pass)", "better", "green"), ("worse (now fail)", "worse", "red")):
            if s[key]:
                lines.append(Text(f"{s['suite']} {label}: " + ", ".join(s[key]), style=colour))
    return Group(table, *lines)
