"""Input: completion, persistent history, Ctrl-R, multi-line paste (prompt_toolkit driven by a pipe)."""

from __future__ import annotations

import io

from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from agent.chat.input import ChatCompleter, complete_word, history_path, piped_lines, prompt_session


def completions(text: str) -> list[str]:
    return [c.text for c in ChatCompleter().get_completions(Document(text), CompleteEvent(completion_requested=True))]


def test_slash_commands_complete():
    assert completions("/ex") == ["/export"]
    assert "/model" in completions("/")


def test_model_names_complete_after_model():
    assert completions("/model o") == ["offline", "openai:"]
    assert completions("/model of") == ["offline"]
    assert completions("/model an") == ["anthropic:"]


def test_catalog_names_complete_in_questions():
    assert "h100" in completions("fit on 8x h1")
    assert any(
        c.lower().startswith("llama-3.1-70b") or c.lower() == "llama 3.1 70b"
        for c in completions("kv cache for llama-3.1-7")
    )
    assert completions("capex of Micro")[0] == "Microsoft"  # shortest first; "Microsoft Maia 200" (a chip) follows
    assert completions("a") == []  # one letter: too short to suggest


def test_complete_word_is_case_insensitive_and_shortest_first():
    hits = complete_word("H2")
    assert hits and all(h.lower().startswith("h2") for h in hits)
    assert [len(h) for h in hits] == sorted(len(h) for h in hits)


def test_piped_lines_skip_blank_lines():
    assert list(piped_lines(io.StringIO("q1\n\n  \nq2\n"))) == ["q1", "q2"]


def _prompt(session, inp, keys: str) -> str:
    inp.send_text(keys)
    return session.prompt("› ")


def test_history_persists_across_runs_and_ctrl_r_searches_it(tmp_path):
    with create_pipe_input() as inp:
        first = prompt_session(tmp_path, input=inp, output=DummyOutput())
        assert _prompt(first, inp, "KV cache for Llama 3.1 70B at 32k context, batch 8?\r").startswith("KV cache")
        assert _prompt(first, inp, "what about on H200s?\r") == "what about on H200s?"
    assert "what about on H200s?" in history_path(tmp_path).read_text()
    with create_pipe_input() as inp:
        second = prompt_session(tmp_path, input=inp, output=DummyOutput())  # a new run reads the same file
        assert _prompt(second, inp, "\x1b[A\r") == "what about on H200s?"  # Up arrow
        assert (
            _prompt(second, inp, "\x12KV cache\r\r") == "KV cache for Llama 3.1 70B at 32k context, batch 8?"
        )  # Ctrl-R


def test_multi_line_paste_and_alt_enter_keep_newlines(tmp_path):
    with create_pipe_input() as inp:
        session = prompt_session(tmp_path, input=inp, output=DummyOutput())
        assert _prompt(session, inp, "\x1b[200~first line\nsecond line\x1b[201~\r") == "first line\nsecond line"
        assert _prompt(session, inp, "one\x1b\rtwo\r") == "one\ntwo"
