"""Slash commands and the question path of ChatSession, with a scripted asker."""

from __future__ import annotations

import json

import pytest
from chat_samples import MEMORY_CITATION, kv_answer

from agent.answer import Answer
from agent.chat.session import ChatSession, TurnLog, parse_command


class ScriptedAsker:
    """Plays back answers (or raises) and records how it was called."""

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.calls: list[tuple[str, dict]] = []

    def __call__(self, question, **kwargs):
        self.calls.append((question, kwargs))
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


@pytest.fixture
def log(tmp_path) -> TurnLog:
    return TurnLog(tmp_path / "chat")


def make(console, log, *outcomes, **kw) -> tuple[ChatSession, ScriptedAsker]:
    asker = ScriptedAsker(*outcomes)
    return ChatSession(console=console, asker=asker, log=log, model="offline", **kw), asker


def test_parse_command():
    assert parse_command("/export  notes.md ") == ("/export", "notes.md")
    assert parse_command("/EXIT") == ("/quit", "")
    assert parse_command("what is 1/2 of H100 memory?") is None


def test_question_goes_to_ask_with_conversation_and_model(console, log):
    session, asker = make(console, log, kv_answer())
    assert session.handle("KV cache for Llama 3.1 70B at 32k context, batch 8?") is True
    question, kwargs = asker.calls[0]
    assert question == "KV cache for Llama 3.1 70B at 32k context, batch 8?"
    assert kwargs["conversation_id"] == session.conversation_id and kwargs["model"] == "offline"
    assert kwargs["on_token"] is None  # not a terminal: no streaming display
    out = console.export_text()
    assert "83,886,080,000 B (83.9 GB)" in out and "/work: 1 tool call" in out
    assert "▸ kv_cache(" not in out  # the brief answer: the work is one step away
    assert [q for q, _ in log.load(session.conversation_id)] == [question]
    session.handle("/work")
    assert "▸ kv_cache(" in console.export_text()


def test_answer_is_brief_and_work_shows_tools_citations_in_order(console, log):
    answer = kv_answer(citations=[MEMORY_CITATION], warnings=["99 GB untraced"], charts=["/tmp/kv.png"])
    session, _ = make(console, log, answer)
    session.handle("q")
    out = console.export_text()
    assert "KV cache: 83,886,080,000 B (83.9 GB)" in out and "**" not in out  # markdown rendered
    assert (
        out.index("KV cache:") < out.index("⚠ 99 GB") < out.index("chart: /tmp/kv.png") < out.index("offline · 0.1 s")
    )
    assert "▸ kv_cache(" not in out and "[1] Memory and HBM" not in out
    assert "/work: 1 citation, 1 tool call" in out
    assert "/work shows the whole answer" in out  # the hint, once
    session.handle("/work")
    work = console.export_text()
    assert (
        work.index("KV cache:")
        < work.index("▸ kv_cache(")
        < work.index("[1] Memory and HBM · 43:10")
        < work.index("⚠ 99 GB")
    )
    session.asker.outcomes.append(kv_answer())
    session.handle("again")
    assert console.export_text().count("/work shows the whole answer") == 0


def test_streamed_tokens_reach_a_live_display(log):
    from rich.console import Console

    term = Console(record=True, width=100, force_terminal=True)
    seen = []

    def streaming_asker(question, *, on_token, **kwargs):
        for tok in ("**KV** ", "is ", "83.9 GB"):
            on_token(tok)
            seen.append(tok)
        return Answer(answer="**KV** is 83.9 GB", model="offline")

    session = ChatSession(console=term, asker=streaming_asker, log=log, model="offline")
    session.ask("kv?")
    assert seen == ["**KV** ", "is ", "83.9 GB"]
    assert "KV is 83.9 GB" in term.export_text()


def test_provider_error_is_one_line_and_the_session_goes_on(console, log, tmp_path):
    from agent.models import ProviderError

    boom = ProviderError("openai:gpt-4o failed (HTTP 500: upstream) after 2 retries\nsecond line")
    bug = KeyError("compose")
    session, _ = make(console, log, boom, bug, kv_answer(), error_log=tmp_path / "errors.log")
    for question in ("q1", "q2", "q3"):
        session.handle(question)
    out = console.export_text()
    assert "error: openai:gpt-4o failed (HTTP 500: upstream) after 2 retries\n" in out
    assert "second line" not in out
    assert f"error: 'compose' (details in {tmp_path / 'errors.log'})\n" in out  # unexpected: where the traceback is
    assert "83.9 GB" in out  # the next question was answered
    assert session.failures == 2 and len(session.turns) == 1
    assert (tmp_path / "errors.log").read_text().count("Traceback") == 2


def test_ctrl_c_during_an_answer_cancels_it(console, log):
    session, _ = make(console, log, KeyboardInterrupt(), kv_answer())
    session.handle("slow question")
    assert "cancelled" in console.export_text() and session.turns == []
    session.handle("next")
    assert len(session.turns) == 1


def test_reset_starts_a_new_conversation(console, log):
    session, asker = make(console, log, kv_answer(), kv_answer())
    session.handle("q1")
    first = session.conversation_id
    session.handle("/reset")
    assert session.conversation_id != first and session.turns == []
    session.handle("q2")
    assert asker.calls[1][1]["conversation_id"] == session.conversation_id
    assert len(log.load(first)) == 1  # the old conversation is kept


def test_model_switch_validates_the_name_and_the_key(console, log, monkeypatch):
    session, _ = make(console, log)
    session.handle("/model claude-sonnet-4-5")  # no key: refused now, not at the next question
    assert session.model == "offline"
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    from agent.settings import load_settings

    load_settings.cache_clear()
    session.handle("/model claude-sonnet-4-5")
    assert session.model == "anthropic:claude-sonnet-4-5"
    session.handle("/model banana")
    assert session.model == "anthropic:claude-sonnet-4-5"
    session.handle("/model")
    out = console.export_text()
    assert "error: model: anthropic:claude-sonnet-4-5 needs ANTHROPIC_API_KEY" in out or "ANTHROPIC_API_KEY" in out
    assert "The model stays offline." in out
    assert "error: model: got 'banana'; allowed: offline, openai:<model>, anthropic:<model>. The model stays" in out
    assert out.rstrip().endswith("model: anthropic:claude-sonnet-4-5")


def test_json_prints_the_last_answer(console, log):
    session, _ = make(console, log, kv_answer())
    session.handle("/json")
    assert "no answer yet" in console.export_text()
    session.handle("q")
    before = len(console.export_text(clear=False))
    session.handle("/json")
    data = json.loads(console.export_text()[before:])
    assert data["tool_calls"][0]["result"]["total_bytes"] == 83_886_080_000


def test_tools_and_sources_expand_the_last_answer(console, log):
    session, _ = make(console, log, kv_answer(citations=[MEMORY_CITATION]))
    session.handle("q")
    session.handle("/tools")
    session.handle("/sources")
    out = console.export_text()
    assert "values_per_token_per_layer" in out  # a row of the full calculator table
    assert out.count("terrible margins") >= 6  # the whole passage


def test_export_writes_markdown(console, log, tmp_path):
    session, _ = make(console, log, kv_answer())
    session.handle("/export")
    session.handle("KV cache for Llama 3.1 70B at 32k context, batch 8?")
    target = tmp_path / "conv.md"
    session.handle(f"/export {target}")
    text = target.read_text()
    assert (
        "## 1. KV cache for Llama 3.1 70B at 32k context, batch 8?" in text and "kv_cache(model=llama-3.1-70b" in text
    )
    session.handle(f"/export {tmp_path}/missing-dir/x.md")
    session.handle(f"/export {tmp_path}/x.pdf")
    out = console.export_text()
    assert "error: usage: /export FILE (.md, .csv or .xlsx)" in out and f"wrote 1 answer to {target}" in out
    assert f"error: export: folder '{tmp_path}/missing-dir' does not exist." in out
    assert "error: export: 'x.pdf' must end in .md, .csv, .xlsx." in out


def test_unknown_command_suggests_the_nearest(console, log):
    session, _ = make(console, log)
    assert session.handle("/expotr a.md") is True
    assert "error: unknown command /expotr. Did you mean /export?" in console.export_text()


def test_quit_and_help(console, log):
    session, _ = make(console, log)
    session.handle("/help")
    out = console.export_text()
    assert all(name in out for name in ("/model", "/reset", "/tools", "/sources", "/json", "/export", "/quit"))
    assert session.handle("/quit") is False
    assert session.handle("/exit") is False


def test_resume_reloads_turns_and_keeps_the_id(console, log):
    first, _ = make(console, log, kv_answer())
    first.handle("q1")
    second, asker = make(console, log, kv_answer())
    second.resume(first.conversation_id)
    assert second.conversation_id == first.conversation_id and len(second.turns) == 1
    second.handle("and at fp8?")
    assert asker.calls[0][1]["conversation_id"] == first.conversation_id
    assert [q for q, _ in log.load(first.conversation_id)] == ["q1", "and at fp8?"]


def test_turn_log_without_history(log):
    assert log.load("nope") == []


def test_ctrl_c_returns_even_when_the_answer_is_stuck():
    """SIGINT to the main thread interrupts the wait although the worker stays blocked."""
    import signal
    import threading

    from agent.chat.session import run_interruptibly

    started, release = threading.Event(), threading.Event()

    def stuck():
        started.set()
        release.wait(60)  # like a provider request that never answers
        return "late"

    def interrupt():
        started.wait(10)
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)

    threading.Thread(target=interrupt, daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        run_interruptibly(stuck)
    assert not release.is_set()  # the worker was still blocked when Ctrl-C returned
    release.set()


def test_worker_errors_and_values_come_back():
    from agent.chat.session import run_interruptibly

    assert run_interruptibly(lambda: 42) == 42
    with pytest.raises(ZeroDivisionError):
        run_interruptibly(lambda: 1 / 0)


def test_error_line_is_not_wrapped_on_a_narrow_console(log):
    from rich.console import Console

    narrow = Console(record=True, width=40, force_terminal=False, color_system=None)
    long = "openai:gpt-4o failed (OpenAIConnectionError: Connection error.) after 0 retries; retry later"
    session = ChatSession(console=narrow, asker=ScriptedAsker(RuntimeError(long)), log=log, model="offline")
    session.handle("q")
    assert narrow.export_text() == f"error: {long}\n"
