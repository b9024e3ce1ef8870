"""Load and validate eval suites. A malformed case is an error, never a skip.

Checks beyond the schema (:mod:`evals.schema`): case ids unique in a suite, a tools case names
a registered tool and only that tool's input fields (pydantic would otherwise ignore a
misspelt argument), and the suite name matches across files.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from evals.schema import AgentSuite, RetrievalSuite, Suite, ToolsSuite, unique_ids

SUITES_DIR = Path(__file__).parent / "suites"
_ADAPTER: TypeAdapter[ToolsSuite | RetrievalSuite | AgentSuite] = TypeAdapter(Suite)


class SuiteError(ValueError):
    """A suite file that cannot be used: names the file, the case and what is wrong."""


def _case_label(doc: dict, loc: tuple) -> str:
    if loc and loc[0] in ("tools", "retrieval", "agent"):
        loc = loc[1:]  # the discriminator tag pydantic puts first
    if len(loc) >= 2 and loc[0] == "cases" and isinstance(loc[1], int):
        cases = doc.get("cases") or []
        case = cases[loc[1]] if loc[1] < len(cases) else {}
        cid = case.get("id", f"#{loc[1]}") if isinstance(case, dict) else f"#{loc[1]}"
        rest = ".".join(str(p) for p in loc[2:])
        return f"case {cid}" + (f" field {rest}" if rest else "")
    return "field " + ".".join(str(p) for p in loc)


def parse_suite(text: str, path: str = "<string>") -> ToolsSuite | RetrievalSuite | AgentSuite:
    """Validate the YAML ``text`` of one suite; raise :class:`SuiteError` on any problem."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SuiteError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise SuiteError(f"{path}: expected a mapping with suite, kind and cases")
    try:
        suite = _ADAPTER.validate_python(doc)
    except ValidationError as exc:
        lines = [f"{_case_label(doc, tuple(e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False)[:5]]
        raise SuiteError(f"{path}: " + "; ".join(lines)) from None
    dupes = unique_ids(suite.cases)
    if dupes:
        raise SuiteError(f"{path}: duplicate case ids {dupes}")
    if isinstance(suite, ToolsSuite):
        _check_tool_cases(suite, path)
    return suite


def _check_tool_cases(suite: ToolsSuite, path: str) -> None:
    from tools.errors import InputError
    from tools.registry import get

    for case in suite.cases:
        try:
            tool = get(case.tool)
        except InputError as exc:
            raise SuiteError(f"{path}: case {case.id}: {exc}") from None
        unknown = sorted(set(case.args) - set(tool.input_model.model_fields))
        if unknown:
            allowed = ", ".join(tool.input_model.model_fields)
            raise SuiteError(
                f"{path}: case {case.id}: unknown argument(s) {unknown} for {case.tool}; allowed: {allowed}"
            )


def run_order(suite: ToolsSuite | RetrievalSuite | AgentSuite) -> tuple[int, bool, str]:
    """Tools first, then retrieval, then offline agent suites, then live ones."""
    return (
        {"tools": 0, "measured": 0, "retrieval": 1, "agent": 2}[suite.kind],
        bool(getattr(suite, "live", False)),
        suite.suite,
    )


def load_suite(path: Path) -> ToolsSuite | RetrievalSuite | AgentSuite:
    return parse_suite(path.read_text(encoding="utf-8"), str(path))


def suite_paths(directory: Path | None = None) -> list[Path]:
    return sorted((directory or SUITES_DIR).glob("*.yaml"))


def load_suites(
    names: list[str] | None = None, directory: Path | None = None
) -> list[ToolsSuite | RetrievalSuite | AgentSuite]:
    """Every suite in ``directory`` (or those whose ``suite`` name or file stem is in ``names``)."""
    paths = suite_paths(directory)
    if not names:
        return sorted((load_suite(p) for p in paths), key=run_order)
    by_stem = {p.stem: p for p in paths}
    if all(n in by_stem for n in names):
        return [load_suite(by_stem[n]) for n in dict.fromkeys(names)]
    suites = [load_suite(p) for p in paths]
    by_name = {s.suite: s for s in suites} | {p.stem: s for p, s in zip(paths, suites)}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise SuiteError(f"unknown suite(s) {missing}; available: {', '.join(sorted({s.suite for s in suites}))}")
    return [by_name[n] for n in dict.fromkeys(names)]
