"""Run eval suites: tools through the registry, retrieval through the knowledge search, agent
cases through ``agent.ask.ask``, with concurrency, and write a run log.

A case that raises (a provider error after the SDK's retries, a crash in a calculator) is
recorded as ``status: error`` with its one-line message; the run goes on. A suite that cannot
run here (a live suite without a provider key) is recorded as skipped with the reason.

Gates (pass rate a suite must reach; errors count as failures), unless the suite file or
``--gate`` says otherwise: tools 1.0; measured 1.0 (each case is one gated figure); retrieval 0.95 (recall@k); agent 0.90 offline, 0 for live
suites (a live run reports; it does not gate CI).
"""

from __future__ import annotations

import datetime as dt
import platform
import subprocess
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, computed_field

from evals.schema import AgentCase, AgentSuite, MeasuredSuite, RetrievalCase, RetrievalSuite, ToolCase, ToolsSuite
from evals.scorers import (
    Check,
    overlap,
    score_behaviour,
    score_citation,
    score_field,
    score_figure,
    score_retrieval,
    score_text,
    score_tools,
)

DEFAULT_GATES = {"tools": 1.0, "measured": 1.0, "retrieval": 0.95, "agent": 0.90, "agent_live": 0.0}
Status = Literal["pass", "fail", "error"]
_VERSIONED = (
    "siliconomics", "langchain", "langchain-core", "langgraph", "langchain-openai", "langchain-anthropic",
    "openai", "anthropic", "chromadb", "pydantic",
)  # fmt: skip


class ToolCall(BaseModel):
    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    error: str | None = None


class CaseResult(BaseModel):
    id: str
    tags: list[str] = Field(default_factory=list)
    source: str = ""
    input: str = Field("", description="The question, or the tool call, that was run.")
    status: Status
    checks: list[Check] = Field(default_factory=list)
    error: str | None = None
    answer: str | None = None
    tool_calls: list[ToolCall] = Field(default_factory=list)
    latency_s: float = 0.0
    usage: dict[str, int] = Field(default_factory=dict)
    cost_usd: float | None = None
    rank: int | None = Field(None, description="Retrieval: rank of the first passage that covers the gold quote.")

    @property
    def failed_checks(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]


class SuiteResult(BaseModel):
    suite: str
    kind: str
    model: str | None = None
    gate: float
    skipped: str | None = Field(None, description="Why the suite did not run, when it did not.")
    cases: list[CaseResult] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> int:
        return sum(c.status == "pass" for c in self.cases)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> int:
        return len(self.cases)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def pass_rate(self) -> float:
        return self.passed / self.total if self.total else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def mrr(self) -> float | None:
        """Retrieval suites: mean over cases of 1 / rank of the first passage covering the gold (0 for a miss)."""
        if self.kind != "retrieval" or not self.cases:
            return None
        return sum(1.0 / c.rank for c in self.cases if c.rank and c.status == "pass") / len(self.cases)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def meets_gate(self) -> bool:
        return self.skipped is not None or self.pass_rate >= self.gate


class RunLog(BaseModel):
    started_at: str
    elapsed_s: float
    model: str
    git_commit: str
    versions: dict[str, str]
    machine: dict[str, str]
    suites: list[SuiteResult]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def tokens(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for s in self.suites:
            for c in s.cases:
                for k, v in c.usage.items():
                    out[k] = out.get(k, 0) + v
        return out

    @computed_field  # type: ignore[prop-decorator]
    @property
    def cost_usd(self) -> float | None:
        costs = [c.cost_usd for s in self.suites for c in s.cases if c.cost_usd is not None]
        return sum(costs) if costs else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> bool:
        return all(s.meets_gate for s in self.suites)


class Prices(BaseModel):
    """USD per million input / output tokens, as given by the user (``--price-in/--price-out``)."""

    input_per_m: float = Field(ge=0)
    output_per_m: float = Field(ge=0)

    def cost(self, usage: dict[str, int]) -> float:
        return (
            usage.get("input_tokens", 0) * self.input_per_m + usage.get("output_tokens", 0) * self.output_per_m
        ) / 1e6


# --- one case of each kind -------------------------------------------------------------------


def run_tool_case(case: ToolCase) -> CaseResult:
    """Run one registry tool; score fields, or the InputError's field for an error case."""
    from tools.errors import InputError
    from tools.registry import get

    call = f"{case.tool}({', '.join(f'{k}={v!r}' for k, v in case.args.items())})"
    base = dict(
        id=case.id,
        tags=case.tags,
        source=case.source,
        input=call,
        tool_calls=[ToolCall(name=case.tool, args=case.args)],
    )
    t0 = time.perf_counter()
    try:
        result = get(case.tool).run(case.args)
    except InputError as exc:
        latency = time.perf_counter() - t0
        if case.error_field:
            check = Check(
                name="error",
                passed=exc.field == case.error_field,
                expected=f"InputError naming {case.error_field!r}",
                got=f"InputError: {exc}",
            )
            return CaseResult(**base, status="pass" if check.passed else "fail", checks=[check], latency_s=latency)
        return CaseResult(**base, status="error", error=f"InputError: {exc}", latency_s=latency)
    except Exception as exc:  # noqa: BLE001 - a crashing calculator is a recorded error, not a crashed run
        return CaseResult(
            **base, status="error", error=f"{type(exc).__name__}: {exc}", latency_s=time.perf_counter() - t0
        )
    latency = time.perf_counter() - t0
    if case.error_field:
        check = Check(
            name="error", passed=False, expected=f"InputError naming {case.error_field!r}", got="a result, no error"
        )
        return CaseResult(**base, status="fail", checks=[check], latency_s=latency)
    checks = [score_field(result, e) for e in case.expect]
    return CaseResult(**base, status=_status(checks), checks=checks, latency_s=latency)


def run_retrieval_case(case: RetrievalCase, suite: RetrievalSuite, search: Callable[..., Sequence[Any]]) -> CaseResult:
    """Search the knowledge base; hit when a top-k passage overlaps the gold quote (or an alternate)."""
    base = dict(id=case.id, tags=case.tags, source=case.source, input=case.question)
    t0 = time.perf_counter()
    try:
        passages = search(case.question, k=suite.k, source=None if case.corpus == "all" else case.corpus)
    except Exception as exc:  # noqa: BLE001
        return CaseResult(
            **base, status="error", error=f"{type(exc).__name__}: {exc}", latency_s=time.perf_counter() - t0
        )
    latency = time.perf_counter() - t0
    texts = [getattr(p, "text", p) for p in passages]
    golds = [case.gold, *case.alternates]
    check = score_retrieval(texts, golds, suite.k, suite.min_overlap)
    rank = next(
        (r for r, t in enumerate(texts[: suite.k], 1) if max(overlap(g, t) for g in golds) >= suite.min_overlap), None
    )
    return CaseResult(
        **base,
        status=_status([check]),
        checks=[check],
        latency_s=latency,
        answer=texts[0] if texts else None,
        rank=rank,
    )


def score_answer(case: AgentCase, answer: Any) -> list[Check]:
    """All checks of one agent case against an ``agent.answer.Answer``.

    Besides the case's expectations, every answer must carry no grounding warning (a number
    in the text that no tool result, passage or question supports).
    """
    exp = case.expect
    text = answer.answer or ""
    checks = [score_figure(text, f) for f in exp.figures]
    if exp.tools:
        checks.append(score_tools([tc.name for tc in answer.tool_calls], exp.tools))
    if exp.citation is not None:
        checks.append(score_citation(answer.citations, exp.citation))
    if exp.text_contains:
        checks.append(score_text(text, exp.text_contains))
    warnings = list(getattr(answer, "warnings", None) or [])
    checks.append(
        Check(
            name="grounded",
            passed=not warnings,
            expected="no grounding warning",
            got="; ".join(warnings)[:300] or "none",
        )
    )
    if exp.behaviour != "answer":
        errors = [tc.error for tc in answer.tool_calls if tc.error]
        checks.append(
            score_behaviour(
                exp.behaviour, text, question=case.question, tool_errors=errors, error_field=exp.error_field
            )
        )
    return checks


def run_agent_case(case: AgentCase, ask: Callable[..., Any], model: Any, prices: Prices | None) -> CaseResult:
    """Ask the question (after any earlier turns) and score the answer. Any exception is this case's error."""
    base = dict(id=case.id, tags=case.tags, source=case.source, input=case.question)
    history: list[dict[str, str]] = [t.model_dump() for t in case.history]
    t0 = time.perf_counter()
    usage: dict[str, int] = {}
    try:
        for earlier in case.follow_up_of:
            first = ask(earlier, history=list(history) or None, model=model)
            history += [{"role": "user", "content": earlier}, {"role": "assistant", "content": first.answer}]
            _add_usage(usage, first.usage)
        answer = ask(case.question, history=history or None, model=model)
    except Exception as exc:  # noqa: BLE001 - provider errors and crashes are recorded per case
        return CaseResult(**base, status="error", error=_one_line(exc), latency_s=time.perf_counter() - t0, usage=usage)
    latency = time.perf_counter() - t0
    _add_usage(usage, answer.usage)
    checks = score_answer(case, answer)
    calls = [ToolCall(name=tc.name, args=tc.args, error=tc.error) for tc in answer.tool_calls]
    cost = prices.cost(usage) if prices else (0.0 if _is_offline(model) else None)
    return CaseResult(
        **base, status=_status(checks), checks=checks, answer=answer.answer, tool_calls=calls,
        latency_s=latency, usage=usage, cost_usd=cost,
    )  # fmt: skip


def _add_usage(total: dict[str, int], usage: dict[str, int] | None) -> None:
    for k, v in (usage or {}).items():
        if isinstance(v, int):
            total[k] = total.get(k, 0) + v


def _status(checks: Sequence[Check]) -> Status:
    return "pass" if all(c.passed for c in checks) else "fail"


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:300]


def _is_offline(model: Any) -> bool:
    return isinstance(model, str) and model == "offline"


# --- suites ----------------------------------------------------------------------------------


def gate_for(suite: ToolsSuite | RetrievalSuite | AgentSuite, override: float | None = None) -> float:
    if override is not None:
        return override
    if getattr(suite, "gate", None) is not None:
        return suite.gate  # type: ignore[union-attr, return-value]
    if isinstance(suite, AgentSuite) and suite.live:
        return DEFAULT_GATES["agent_live"]
    return DEFAULT_GATES[suite.kind]


def _pool_map(fn: Callable[[Any], CaseResult], items: Sequence[Any], concurrency: int) -> list[CaseResult]:
    if concurrency <= 1 or len(items) <= 1:
        return [fn(i) for i in items]
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(fn, items))


def resolve_agent_model(suite: AgentSuite, model: Any) -> tuple[Any, str, str | None]:
    """(model to pass to ask, its label, skip reason or None) for an agent suite.

    ``model`` is a name (``offline``, ``openai:gpt-4o``...), a chat-model instance, or None
    (offline for an offline suite; the configured provider for a live one).
    """
    from agent.models import OFFLINE, chat_model, model_label, resolve_model_name
    from tools.errors import InputError

    if model is not None and not isinstance(model, str):
        return model, model_label(model), None
    try:
        name = resolve_model_name(model) if (model or suite.live) else OFFLINE
    except InputError as exc:
        return None, str(model), str(exc)
    if suite.live and name == OFFLINE:
        return (
            None,
            name,
            (
                "live suite needs a provider model: set OPENAI_API_KEY (or OPENAI_BASE_URL) or ANTHROPIC_API_KEY "
                "and pass --model openai:<model> or anthropic:<model>"
            ),
        )
    try:
        chat_model(name)  # checks the key is there before running any case
    except InputError as exc:
        return None, name, str(exc)
    return name, name, None


def run_suite(
    suite: ToolsSuite | RetrievalSuite | AgentSuite,
    *,
    model: Any = None,
    concurrency: int = 4,
    gate: float | None = None,
    prices: Prices | None = None,
    ask: Callable[..., Any] | None = None,
    search: Callable[..., Sequence[Any]] | None = None,
) -> SuiteResult:
    """Run every case of one suite and score it. ``ask``/``search`` default to the project's."""
    g = gate_for(suite, gate)
    if isinstance(suite, ToolsSuite):
        return SuiteResult(suite=suite.suite, kind=suite.kind, gate=g, cases=[run_tool_case(c) for c in suite.cases])
    if isinstance(suite, MeasuredSuite):
        from evals.measured import run_measured_suite

        return SuiteResult(suite=suite.suite, kind=suite.kind, gate=g, cases=run_measured_suite(suite))
    if isinstance(suite, RetrievalSuite):
        if search is None:
            from knowledge.search import search
        cases = _pool_map(lambda c: run_retrieval_case(c, suite, search), suite.cases, min(concurrency, 2))
        return SuiteResult(suite=suite.suite, kind=suite.kind, gate=g, cases=cases)
    resolved, label, skip = resolve_agent_model(suite, model)
    if skip:
        return SuiteResult(suite=suite.suite, kind=suite.kind, gate=g, skipped=skip)
    if ask is None:
        from agent.ask import ask
    cases = _pool_map(lambda c: run_agent_case(c, ask, resolved, prices), suite.cases, concurrency)
    return SuiteResult(suite=suite.suite, kind=suite.kind, model=label, gate=g, cases=cases)


def run(
    suites: Sequence[ToolsSuite | RetrievalSuite | AgentSuite],
    *,
    model: Any = None,
    concurrency: int = 4,
    gate: float | None = None,
    prices: Prices | None = None,
    ask: Callable[..., Any] | None = None,
    search: Callable[..., Sequence[Any]] | None = None,
) -> RunLog:
    """Run suites in order and return the run log (model, versions, commit, per-case results)."""
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    results = [
        run_suite(s, model=model, concurrency=concurrency, gate=gate, prices=prices, ask=ask, search=search)
        for s in suites
    ]
    labels = sorted({r.model for r in results if r.model})
    return RunLog(
        started_at=started.isoformat(timespec="seconds"),
        elapsed_s=time.perf_counter() - t0,
        model=", ".join(labels) or "none",
        git_commit=git_commit(),
        versions=versions(),
        machine=machine(),
        suites=results,
    )


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in _VERSIONED:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def machine() -> dict[str, str]:
    """CPU model, usable CPUs, memory, OS and Python: what a run or a figure was measured on."""
    import os

    cpu = platform.processor() or platform.machine()
    mem = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": cpu,
        "cpus_usable": str(usable),
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def git_commit(repo: Path | None = None) -> str:
    """``git describe --always --dirty`` of the source tree, or 'unknown' outside a checkout."""
    repo = repo or Path(__file__).resolve().parent.parent
    try:
        out = subprocess.run(
            ["git", "-C", str(repo), "describe", "--always", "--dirty", "--abbrev=12"],
            capture_output=True, text=True, timeout=10, check=True,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def default_log_path(data_dir: Path) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return data_dir / "evals" / f"run-{stamp}.json"


def write_log(log: RunLog, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(log.model_dump_json(indent=2), encoding="utf-8")
    return path


def read_log(path: Path) -> dict[str, Any]:
    import json

    return json.loads(path.read_text(encoding="utf-8"))
